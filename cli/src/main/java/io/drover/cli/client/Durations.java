package io.drover.cli.client;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses CLI durations such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}. */
final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    private Durations() {}

    static long toMillis(String option, String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new ApiException(
                    option + " must be a duration such as 500ms, 30s, 5m or 2h, was '" + text + "'",
                    ExitCodes.USAGE,
                    false,
                    null);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
        };
    }

    /** Milliseconds in the largest unit that {@link #toMillis} reads back exactly: 30s, 5m, 2h. */
    static String format(long ms) {
        if (ms > 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms > 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms > 0 && ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }
}
