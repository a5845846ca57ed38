package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.InvalidTaskException;
import io.drover.model.RateLimit;
import io.drover.model.TypePolicy;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code drover type set}'s rate limit and breaker fallback options: parsed, and merged with the
 * type's current policy as {@code GET /v1/types/TYPE} shows it (a setting not given keeps its
 * value).
 */
final class TypePolicyArgs {
    private static final Pattern RATE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)/([smh])");

    private TypePolicyArgs() {}

    /**
     * The rate limit to send: {@code --rate} and {@code --burst} where given, the current ones
     * otherwise; a new rate without a burst gets the current burst, else one second's worth.
     */
    static RateLimit rate(String rate, Integer burst, JsonNode policy) {
        JsonNode current = policy == null ? null : policy.get("rateLimit");
        boolean has = current != null && current.isObject();
        if (rate == null && burst == null) {
            return has
                    ? limit(current.path("perSecond").asDouble(), current.path("burst").asInt())
                    : null;
        }
        if (rate == null && !has) {
            throw usage("--burst needs a rate: give --rate too (e.g. --rate 5/s --burst 10)");
        }
        double perSecond = rate == null ? current.path("perSecond").asDouble() : perSecond(rate);
        int b =
                burst != null
                        ? burst
                        : has ? current.path("burst").asInt() : RateLimit.of(perSecond).burst();
        return limit(perSecond, b);
    }

    /** {@code 5/s}, {@code 30/m}, {@code 0.5/s}, {@code 100/h}: tasks per second. */
    static double perSecond(String text) {
        Matcher m = RATE.matcher(text.strip());
        if (!m.matches()) {
            throw usage("--rate must be N/s, N/m or N/h (e.g. 5/s, 30/m), was '" + text + "'");
        }
        double n = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "s" -> n;
            case "m" -> n / 60;
            default -> n / 3600;
        };
    }

    /** {@code wait}, {@code fail-fast}, {@code fallback}, in any case, {@code -} or {@code _}. */
    static TypePolicy.WhenOpen whenOpen(String text) {
        try {
            return TypePolicy.WhenOpen.valueOf(
                    text.strip().replace('-', '_').toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage("--when-open must be wait, fail-fast or fallback, was '" + text + "'");
        }
    }

    /** The current {@code whenOpen}, or null (WAIT) when none is set. */
    static TypePolicy.WhenOpen currentWhenOpen(JsonNode policy) {
        String mode = text(policy, "whenOpen");
        return mode == null ? null : TypePolicy.WhenOpen.valueOf(mode);
    }

    static String text(JsonNode policy, String field) {
        return policy == null || !policy.path(field).isTextual()
                ? null
                : policy.get(field).asText();
    }

    private static RateLimit limit(double perSecond, int burst) {
        try {
            return new RateLimit(perSecond, burst).validate();
        } catch (InvalidTaskException e) {
            throw usage(
                    (e.field().endsWith("burst") ? "--burst" : "--rate")
                            + ": "
                            + e.getMessage().substring(e.field().length() + 2));
        }
    }

    private static ApiException usage(String message) {
        return new ApiException(message, ExitCodes.USAGE, false, null);
    }
}
