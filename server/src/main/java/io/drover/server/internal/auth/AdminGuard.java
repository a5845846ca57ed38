package io.drover.server.internal.auth;

import io.drover.model.DroverJson;
import io.drover.server.api.ErrorResponse;
import io.drover.server.auth.Role;
import io.drover.server.internal.http.AuditLog;
import io.drover.server.internal.http.CrossSiteGuard;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.Optional;

/**
 * The admin port's guard (health checks, metrics, Prometheus, thread dump, admin tasks), which
 * Jersey's filters do not reach. With authentication, a GET needs {@code reader} and a POST (the
 * admin tasks) or the thread dump needs {@code admin}; without, anyone on loopback may. Either way
 * a POST must pass the cross-site rule of the API ({@link CrossSiteGuard}), and writes and refusals
 * go to the audit log.
 */
final class AdminGuard implements Filter {
    private final Principals principals;

    /**
     * @param principals null when the server has no authentication
     */
    AdminGuard(Principals principals) {
        this.principals = principals;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String method = request.getMethod();
        String action = method + " " + request.getRequestURI();
        String principal = "anonymous";
        if (principals != null) {
            Optional<Caller> caller = authenticate(request);
            if (caller.isEmpty()) {
                response.setHeader("WWW-Authenticate", HttpAuth.challenge());
                refuse(request, response, principal, action, HttpAuth.unauthenticated());
                return;
            }
            principal = caller.get().name();
            Role needed =
                    "GET".equals(method) && !request.getRequestURI().startsWith("/threads")
                            ? Role.READER
                            : Role.ADMIN;
            if (!caller.get().has(needed)) {
                refuse(
                        request,
                        response,
                        principal,
                        action,
                        new ErrorResponse(
                                403,
                                "forbidden",
                                action + " needs the role " + needed.wireName(),
                                null,
                                false));
                return;
            }
        }
        if (!CrossSiteGuard.allows(
                method,
                request.getHeader(CrossSiteGuard.CLIENT_HEADER),
                mediaType(request.getContentType()))) {
            refuse(request, response, principal, action, CrossSiteGuard.refusal());
            return;
        }
        chain.doFilter(request, response);
        if (AuditLog.audited(method, response.getStatus())) {
            AuditLog.record(principal, action, response.getStatus(), request.getRemoteAddr());
        }
    }

    private static MediaType mediaType(String header) {
        try {
            return header == null ? null : MediaType.valueOf(header);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    private Optional<Caller> authenticate(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return principals.byToken(header.substring(7).trim());
        }
        java.security.cert.X509Certificate cert =
                CertificateAuthFilter.clientCertificate(
                        request.getAttribute(CertificateAuthFilter.CHAIN_ATTRIBUTE));
        return cert == null ? Optional.empty() : principals.byCertificate(cert);
    }

    private static void refuse(
            HttpServletRequest request,
            HttpServletResponse response,
            String principal,
            String action,
            ErrorResponse error)
            throws IOException {
        response.setStatus(error.status());
        response.setContentType(MediaType.APPLICATION_JSON);
        response.getOutputStream().write(DroverJson.mapper().writeValueAsBytes(error));
        AuditLog.record(principal, action, error.status(), request.getRemoteAddr());
    }
}
