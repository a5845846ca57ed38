package io.drover.model;

/**
 * Pending index keys: {@code <7-digit inverted priority>-<13-digit submit ms>.<6-digit submit
 * sequence>-<taskId>}, so that plain string order is dispatch order: highest priority first, then
 * oldest first, then (within one millisecond) in the order one submitter sent them. A task of an
 * older writer has no sequence ({@code <ms>-<taskId>}), which sorts before any sequence of the same
 * millisecond.
 */
public final class PendingKey {
    private PendingKey() {}

    /**
     * Sequence numbers run from 1 to this, then start again (a wrap within one millisecond of one
     * submitter is out of order once).
     */
    public static final long MAX_SEQ = 999_999;

    public static String of(int priority, long submittedAtMs, long submitSeq, String taskId) {
        long inverted = (long) TaskSpec.MAX_PRIORITY - priority;
        StringBuilder sb = new StringBuilder(31 + taskId.length());
        pad(sb, inverted, 7).append('-');
        pad(sb, submittedAtMs, 13);
        if (submitSeq > 0) {
            pad(sb.append('.'), submitSeq, 6);
        }
        return sb.append('-').append(taskId).toString();
    }

    static StringBuilder pad(StringBuilder sb, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits);
    }

    /** The finish time of a {@code done/} index name ({@code <13-digit ms>-<taskId>}), or -1. */
    public static long timeOfDone(String name) {
        int dash = name.indexOf('-');
        try {
            return dash == 13 ? Long.parseLong(name.substring(0, 13)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static String taskIdOfDone(String name) {
        return name.length() > 14 ? name.substring(14) : null;
    }

    /** The task id inside a key, or null if the key is not one of ours. */
    public static String taskIdOf(String key) {
        int first = key.indexOf('-');
        int second = first < 0 ? -1 : key.indexOf('-', first + 1);
        return second < 0 || second == key.length() - 1 ? null : key.substring(second + 1);
    }
}
