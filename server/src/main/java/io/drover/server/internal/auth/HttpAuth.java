package io.drover.server.internal.auth;

import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthFilter;
import io.dropwizard.auth.UnauthorizedHandler;
import io.dropwizard.auth.chained.ChainedAuthFilter;
import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import io.dropwizard.core.setup.Environment;
import io.drover.server.api.ErrorResponse;
import io.drover.server.auth.Role;
import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.EnumSet;
import java.util.List;

/**
 * Authentication and authorization of a server's HTTP API (Jersey, through {@code dropwizard-auth})
 * and admin port (a servlet filter, {@link AdminGuard}). A caller proves who it is with a bearer
 * token or a client certificate, both looked up in the {@link Principals} file; each endpoint needs
 * a {@link Role} ({@link RoleFeature}).
 */
public final class HttpAuth {
    static final String REALM = "drover";

    private HttpAuth() {}

    /**
     * @param principals who may call; null when the server has no authentication (it then listens
     *     on loopback only, see {@code NetworkExposure})
     */
    public static void install(Environment env, Principals principals) {
        env.jersey().register(new RoleFeature(principals != null));
        env.admin()
                .addFilter("drover-admin-guard", new AdminGuard(principals))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        if (principals == null) {
            return;
        }
        AuthFilter<String, Caller> bearer =
                configured(new OAuthCredentialAuthFilter.Builder<Caller>(), principals::byToken);
        AuthFilter<java.security.cert.X509Certificate, Caller> certificate =
                configured(new CertificateAuthFilter.Builder(), principals::byCertificate);
        // The first filter's refusal is the one a caller with neither credential sees: Bearer.
        env.jersey()
                .register(
                        new AuthDynamicFeature(
                                new ChainedAuthFilter<>(List.of(bearer, certificate))));
    }

    /** Both filters answer the same 401 and check roles the same way. */
    private static <C, F extends AuthFilter<C, Caller>> F configured(
            AuthFilter.AuthFilterBuilder<C, Caller, F> builder,
            io.dropwizard.auth.Authenticator<C, Caller> authenticator) {
        return builder.setAuthenticator(authenticator)
                .setAuthorizer((caller, role, request) -> caller.has(Role.parse(role)))
                .setPrefix("Bearer")
                .setRealm(REALM)
                .setUnauthorizedHandler(new JsonUnauthorized())
                .buildAuthFilter();
    }

    /** The 401 both ports answer. */
    static ErrorResponse unauthenticated() {
        return new ErrorResponse(
                401,
                "unauthenticated",
                "send a token (Authorization: Bearer ...) or a client certificate that this"
                        + " server's principals file lists",
                null,
                false);
    }

    static String challenge() {
        return "Bearer realm=\"" + REALM + "\"";
    }

    private static final class JsonUnauthorized implements UnauthorizedHandler {
        @Override
        public Response buildResponse(String prefix, String realm) {
            return Response.status(401)
                    .header(HttpHeaders.WWW_AUTHENTICATE, challenge())
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(unauthenticated())
                    .build();
        }
    }
}
