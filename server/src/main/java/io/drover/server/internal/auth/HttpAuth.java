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
 * token or a client certificate, both looked up in the {@link Principals} file, or on a coordinator
 * with a console session cookie a token opened ({@link Sessions}); each endpoint needs a {@link
 * Role} ({@link RoleFeature}).
 */
public final class HttpAuth {
    static final String REALM = "drover";

    private HttpAuth() {}

    /**
     * @param principals who may call; null when the server has no authentication (it then listens
     *     on loopback only, see {@code NetworkExposure})
     * @param sessions console sessions this server accepts; null for none
     */
    public static void install(Environment env, Principals principals, Sessions sessions) {
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
        @SuppressWarnings("rawtypes") // ChainedAuthFilter takes a raw list
        List<AuthFilter> chain = new java.util.ArrayList<>(List.of(bearer, certificate));
        if (sessions != null) {
            chain.add(configured(new SessionAuthFilter.Builder(), sessions::verify));
        }
        // The first filter's refusal is the one a caller with no credential sees: Bearer.
        env.jersey().register(new AuthDynamicFeature(new ChainedAuthFilter<>(chain)));
    }

    /** Every filter answers the same 401 and checks roles the same way. */
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

    /** The value of {@code WWW-Authenticate} on every 401. */
    public static String challenge() {
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
