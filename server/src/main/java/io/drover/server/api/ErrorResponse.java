package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Every API error: {@code
 * {"status":400,"error":"invalid_field","field":"priority","message":"...","retryable":false}}.
 *
 * @param error a stable, machine-readable code: {@code malformed_json}, {@code invalid_field},
 *     {@code unknown_field}, {@code not_found}, {@code conflict}, {@code payload_too_large}, {@code
 *     quota_exceeded}, {@code unavailable}, {@code corrupt_znode}, {@code method_not_allowed},
 *     {@code unsupported_media_type}, {@code unauthenticated} (401), {@code forbidden} (403),
 *     {@code bad_request} (other 4xx), {@code internal}
 * @param field the offending field for {@code invalid_field} and {@code unknown_field}
 * @param retryable whether the same request may succeed later
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResponse(
        int status, String error, String message, String field, boolean retryable) {}
