package io.drover.server.internal.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverException;
import io.drover.model.InvalidTaskException;
import io.drover.model.ItemConflictException;
import io.drover.model.ItemLimitException;
import io.drover.model.PayloadTooLargeException;
import io.drover.model.QuotaExceededException;
import io.drover.model.TaskConflictException;
import io.drover.model.TaskNotFoundException;
import io.drover.server.api.ErrorResponse;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into a JSON {@link ErrorResponse} with the right status and no stack trace.
 * It replaces Dropwizard's default mappers so that every error has the same shape and names the
 * offending field. Unexpected errors are logged with an id the client sees.
 */
public final class ApiErrors implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof WebApplicationException w
                && w.getResponse().getEntity() instanceof ErrorResponse) {
            return w.getResponse(); // already ours, as the 401 of authentication
        }
        ErrorResponse body = describe(e);
        Response.ResponseBuilder r =
                Response.status(body.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
        if (body.status() == 503 || body.status() == 429) {
            r.header("Retry-After", "1");
        }
        return r.build();
    }

    static int statusOf(DroverException e) {
        return describe(e).status();
    }

    static ErrorResponse describe(Throwable e) {
        BodyLimitFilter.BodyTooLargeException tooLarge =
                find(e, BodyLimitFilter.BodyTooLargeException.class);
        if (tooLarge != null) {
            return error(413, "payload_too_large", tooLarge.getMessage(), null, false);
        }
        if (e instanceof PayloadTooLargeException p) {
            return error(413, "payload_too_large", p.getMessage(), p.field(), false);
        }
        if (e instanceof InvalidTaskException i) {
            return error(400, "invalid_field", i.getMessage(), i.field(), false);
        }
        if (e instanceof TaskNotFoundException
                || e instanceof io.drover.model.ScheduleNotFoundException
                || e instanceof WorkersResource.NoSuchWorkerException
                || e instanceof ItemsResource.NoSuchItemException
                || e instanceof TypesResource.NoSuchTypeException) {
            return error(404, "not_found", e.getMessage(), null, false);
        }
        if (e instanceof TaskConflictException || e instanceof ItemConflictException) {
            return error(409, "conflict", e.getMessage(), null, false);
        }
        if (e instanceof io.drover.server.internal.TypeCatalog.VersionMismatchException v) {
            return error(412, "precondition_failed", e.getMessage(), v.header(), false);
        }
        if (e instanceof io.drover.model.PreconditionFailedException p) {
            return error(412, "precondition_failed", e.getMessage(), p.header(), false);
        }
        if (e instanceof QuotaExceededException) {
            return error(429, "quota_exceeded", e.getMessage(), null, true);
        }
        if (e instanceof ItemLimitException) {
            return error(409, "item_limit", e.getMessage(), null, false);
        }
        if (e instanceof CorruptZnodeException) {
            return error(500, "corrupt_znode", e.getMessage(), null, false);
        }
        if (e instanceof DroverException d) {
            return d.isRetryable()
                    ? error(503, "unavailable", d.getMessage(), null, true)
                    : error(500, "internal", d.getMessage(), null, false);
        }
        JsonProcessingException json = find(e, JsonProcessingException.class);
        if (json != null) {
            return describeJson(json);
        }
        if (e instanceof WebApplicationException w) {
            return describeWeb(w);
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("request failed unexpectedly (error id {})", id, e);
        return error(
                500,
                "internal",
                "internal error " + id + "; the server log has the details",
                null,
                false);
    }

    private static ErrorResponse describeJson(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String field = path(u);
            return error(
                    400,
                    "unknown_field",
                    "unknown field '" + field + "'; known fields: " + u.getKnownPropertyIds(),
                    field,
                    false);
        }
        if (e instanceof StreamConstraintsException
                || e.getCause() instanceof StreamConstraintsException) {
            return error(
                    400,
                    "malformed_json",
                    "request rejected: " + e.getOriginalMessage(),
                    null,
                    false);
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = path(m);
            return error(
                    400,
                    "invalid_field",
                    field + ": " + firstLine(m.getOriginalMessage()),
                    field,
                    false);
        }
        if (e instanceof JsonParseException
                || e instanceof com.fasterxml.jackson.core.io.JsonEOFException) {
            return error(
                    400,
                    "malformed_json",
                    "malformed JSON: " + firstLine(e.getOriginalMessage()),
                    null,
                    false);
        }
        return error(
                400,
                "malformed_json",
                "cannot read the request body: " + firstLine(e.getOriginalMessage()),
                null,
                false);
    }

    private static ErrorResponse describeWeb(WebApplicationException w) {
        int status = w.getResponse().getStatus();
        if (w instanceof NotFoundException) {
            return error(
                    404, "not_found", "no such endpoint; see GET /v1/openapi.yaml", null, false);
        }
        if (w instanceof NotAllowedException) {
            return error(
                    405,
                    "method_not_allowed",
                    "method not allowed here; allowed: " + w.getResponse().getAllowedMethods(),
                    null,
                    false);
        }
        if (w instanceof NotSupportedException) {
            return error(
                    415,
                    "unsupported_media_type",
                    "send JSON with Content-Type: application/json",
                    null,
                    false);
        }
        String message = w.getMessage() == null ? "HTTP " + status : w.getMessage();
        return error(
                status, status >= 500 ? "internal" : "bad_request", message, null, status == 503);
    }

    /** The JSON path of a mapping error, as {@code tasks[2].priority}. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static ErrorResponse error(
            int status, String code, String message, String field, boolean retryable) {
        return new ErrorResponse(status, code, message, field, retryable);
    }
}
