package io.drover.server.internal.console;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Headers that keep a browser from misusing what the application port sends, the console's pages
 * and the API's JSON alike: scripts, styles and connections only from this origin and never inline
 * (the console has no inline script or style, so an injected one does not run), no framing
 * (clickjacking), no content-type sniffing (a JSON answer is never run as a script), and no
 * referrer leaving the page.
 */
public final class SecurityHeaders implements Filter {
    static final String CSP =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                    + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self';"
                    + " frame-ancestors 'none'";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (response instanceof HttpServletResponse http) {
            http.setHeader("Content-Security-Policy", CSP);
            http.setHeader("X-Content-Type-Options", "nosniff");
            http.setHeader("X-Frame-Options", "DENY");
            http.setHeader("Referrer-Policy", "no-referrer");
            http.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        }
        chain.doFilter(request, response);
    }
}
