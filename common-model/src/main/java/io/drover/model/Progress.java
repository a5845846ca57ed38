package io.drover.model;

/**
 * What a running handler last reported: a percentage and a short message.
 *
 * @param percent 0 to 100
 * @param message at most 200 characters
 * @param atMs when the worker wrote it
 */
public record Progress(int percent, String message, long atMs) {
    public static final int MAX_MESSAGE_CHARS = 200;

    public static Progress of(int percent, String message, long atMs) {
        int p = Math.max(0, Math.min(100, percent));
        String m =
                message == null
                        ? ""
                        : message.length() > MAX_MESSAGE_CHARS
                                ? message.substring(0, MAX_MESSAGE_CHARS)
                                : message;
        return new Progress(p, m, atMs);
    }
}
