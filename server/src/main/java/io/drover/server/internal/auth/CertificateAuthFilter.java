package io.drover.server.internal.auth;

import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.security.cert.X509Certificate;

/**
 * Authenticates a request by the client certificate Jetty verified during the TLS handshake (an
 * HTTPS connector with {@code needClientAuth} or {@code wantClientAuth} and a trust store). The
 * certificate's subject must be listed in the principals file.
 */
@Priority(Priorities.AUTHENTICATION)
final class CertificateAuthFilter extends AuthFilter<X509Certificate, Caller> {
    /** Where the servlet container puts the verified chain, client first. */
    static final String CHAIN_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    @Override
    public void filter(ContainerRequestContext request) {
        if (!authenticate(
                request, clientCertificate(request.getProperty(CHAIN_ATTRIBUTE)), "CLIENT_CERT")) {
            throw unauthorizedHandler.buildException(prefix, realm);
        }
    }

    static X509Certificate clientCertificate(Object chain) {
        return chain instanceof X509Certificate[] certs && certs.length > 0 ? certs[0] : null;
    }

    static final class Builder
            extends AuthFilterBuilder<X509Certificate, Caller, CertificateAuthFilter> {
        @Override
        protected CertificateAuthFilter newInstance() {
            return new CertificateAuthFilter();
        }
    }
}
