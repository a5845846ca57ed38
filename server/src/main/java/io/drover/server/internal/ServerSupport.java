package io.drover.server.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import org.apache.curator.framework.CuratorFramework;

/**
 * What both servers set up the same way: config substitution, strict JSON, error mapping, health
 * and metrics.
 */
public final class ServerSupport {
    /**
     * Deepest JSON nesting a request may have; payloads are capped lower still by the task spec's
     * rules.
     */
    static final int MAX_REQUEST_NESTING = 100;

    private ServerSupport() {}

    /**
     * {@code ${VAR}} and {@code ${VAR:-default}} in config files are read from the environment (for
     * containers), and {@code ${file:PATH}} is the content of a file, without the whitespace around
     * it: a password goes in a file of its own, never in the config file (PATH may use variables:
     * {@code ${file:${DROVER_SECRETS}/tls.password}}).
     */
    public static void substituteEnvironment(Bootstrap<?> bootstrap) {
        org.apache.commons.text.lookup.StringLookup files = ServerSupport::readSecret;
        org.apache.commons.text.StringSubstitutor substitutor =
                new org.apache.commons.text.StringSubstitutor(
                        org.apache.commons.text.lookup.StringLookupFactory.INSTANCE
                                .interpolatorStringLookup(
                                        java.util.Map.of("file", files),
                                        org.apache.commons.text.lookup.StringLookupFactory.INSTANCE
                                                .environmentVariableStringLookup(),
                                        false));
        substitutor.setEnableSubstitutionInVariables(true);
        bootstrap.setConfigurationSourceProvider(
                new SubstitutingSourceProvider(
                        bootstrap.getConfigurationSourceProvider(), substitutor));
    }

    private static String readSecret(String path) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(path)).strip();
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "${file:" + path + "} in the config file: cannot read " + path, e);
        }
    }

    /**
     * Strict JSON (applied after the config file is read): unknown fields, duplicate keys, strings
     * or fractions where numbers belong, numbers where strings belong, and deep nesting are all
     * rejected with a 400 naming the field, never guessed at.
     */
    public static void strictJson(ObjectMapper mapper) {
        mapper.enable(
                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder()
                                .maxNestingDepth(MAX_REQUEST_NESTING)
                                .build());
        for (LogicalType t :
                new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        for (CoercionInputShape shape :
                new CoercionInputShape[] {
                    CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
                }) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
    }

    /**
     * Loopback only unless the config says otherwise ({@link NetworkExposure}); authentication and
     * roles on both ports when the config names a principals file; the server's one ZooKeeper
     * client, managed so that it starts before and stops after anything registered later; JSON
     * errors from {@link io.drover.server.internal.http.ApiErrors} only; ZooKeeper health; the
     * server's Prometheus registry on {@code /prometheus}, with the session's metrics.
     */
    public static ManagedCurator common(
            io.drover.server.DroverServerConfig config, Environment env) {
        return common(config, env, false);
    }

    /**
     * The same, and with {@code consoleSessions} the server signs browsers in ({@code /v1/session})
     * and accepts their session cookies (the coordinator, which serves the console).
     */
    public static ManagedCurator common(
            io.drover.server.DroverServerConfig config, Environment env, boolean consoleSessions) {
        NetworkExposure.apply(config); // first: a server that must not start opens nothing
        CuratorFramework client = config.zooKeeper.build();
        ManagedCurator managed =
                new ManagedCurator(
                        client,
                        config.zooKeeper.getConnectString(),
                        config.zooKeeper.getConnectionTimeout().toMilliseconds() * 6);
        env.lifecycle().manage(managed);
        if (config.getServerFactory() instanceof AbstractServerFactory f) {
            f.setRegisterDefaultExceptionMappers(false);
        }
        strictJson(env.getObjectMapper());
        env.jersey().register(new io.drover.server.internal.http.ApiErrors());
        env.jersey().register(io.drover.server.internal.http.AuditLog.class);
        env.jersey().register(new io.drover.server.internal.http.CrossSiteGuard());
        io.drover.server.internal.auth.Principals principals =
                config.security.authenticated()
                        ? io.drover.server.internal.auth.Principals.load(
                                java.nio.file.Path.of(config.security.principalsFile))
                        : null;
        io.drover.server.internal.auth.Sessions sessions =
                consoleSessions && principals != null
                        ? io.drover.server.internal.auth.Sessions.create(
                                config.security, principals)
                        : null;
        io.drover.server.internal.auth.HttpAuth.install(env, principals, sessions);
        if (consoleSessions) {
            env.jersey().register(new io.drover.server.internal.http.SessionResource(sessions));
        }
        env.healthChecks().register("zookeeper", new ZooKeeperHealthCheck(client));
        // Errors Jetty answers itself (a malformed URI, say) come as JSON too, never as an HTML
        // page with a stack.
        env.lifecycle()
                .addServerLifecycleListener(
                        server ->
                                server.setErrorHandler(
                                        new io.drover.server.internal.http.JettyJsonErrors()));
        io.drover.server.internal.metrics.ZooKeeperMetrics.register(
                io.drover.server.internal.metrics.ServerMetrics.of(env).registry(), client);
        return managed;
    }
}
