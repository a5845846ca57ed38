package io.drover.server.internal.http;

import io.drover.server.api.ErrorResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Cross-site requests cannot trigger writes. A web page can make a browser send a POST to any
 * address, the operator's own loopback included, without asking, as long as its content type is one
 * a form can send ({@code application/x-www-form-urlencoded}, {@code multipart/form-data}, {@code
 * text/plain}) or there is none; anything else needs a CORS preflight, which this server never
 * grants. So every POST must say {@code Content-Type: application/json} (the API's writes with no
 * body, cancel and drain, included), or carry the {@value #CLIENT_HEADER} header, which a form
 * cannot set either. PUT and DELETE always need a preflight.
 */
public final class CrossSiteGuard implements ContainerRequestFilter {
    /** Any value will do: only a script the page's origin may not use could set it. */
    public static final String CLIENT_HEADER = "X-Drover-Client";

    @Override
    public void filter(ContainerRequestContext request) {
        if (allows(
                request.getMethod(),
                request.getHeaderString(CLIENT_HEADER),
                request.getMediaType())) {
            return;
        }
        request.abortWith(
                Response.status(415)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(refusal())
                        .build());
    }

    /** The rule, for the admin port's guard as well. */
    public static boolean allows(String method, String clientHeader, MediaType contentType) {
        return !"POST".equals(method)
                || clientHeader != null
                || MediaType.APPLICATION_JSON_TYPE.isCompatible(contentType);
    }

    public static ErrorResponse refusal() {
        return new ErrorResponse(
                415,
                "unsupported_media_type",
                "a POST must have Content-Type: application/json (or the "
                        + CLIENT_HEADER
                        + " header), so that a web page cannot make a browser send it",
                null,
                false);
    }
}
