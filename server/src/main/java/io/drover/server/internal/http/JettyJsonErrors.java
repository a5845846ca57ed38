package io.drover.server.internal.http;

import io.drover.model.DroverJson;
import io.drover.server.api.ErrorResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers before a request reaches the API (a URI with an encoded {@code /}, a
 * malformed header) in the API's own JSON shape, whatever the client accepts: never an HTML page,
 * never a stack.
 */
public final class JettyJsonErrors extends ErrorHandler {
    public JettyJsonErrors() {
        setShowStacks(false);
        setShowCauses(false);
        setDefaultResponseMimeType("application/json");
    }

    /**
     * Every method gets a body: Jetty's default answers only GET, POST and HEAD, leaving a refused
     * PUT or DELETE with none.
     */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected boolean generateAcceptableResponse(
            Request request,
            Response response,
            Callback callback,
            String contentType,
            List<Charset> charsets,
            int code,
            String message,
            Throwable cause)
            throws IOException {
        return super.generateAcceptableResponse(
                request, response, callback, "application/json", charsets, code, message, cause);
    }

    @Override
    protected void writeErrorJson(
            Request request, PrintWriter writer, int code, String message, Throwable cause) {
        String text = message == null || message.isBlank() ? "HTTP " + code : message;
        writer.write(
                DroverJson.toJson(
                        new ErrorResponse(
                                code,
                                code >= 500 ? "internal" : "bad_request",
                                text,
                                null,
                                code == 503)));
    }
}
