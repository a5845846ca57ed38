package io.drover.model;

/** Which of the {@link DroverPaths#BUCKETS} buckets a task id falls in, and the buckets' names. */
final class Buckets {
    private static final String[] NAMES = new String[DroverPaths.BUCKETS];

    static {
        for (int b = 0; b < DroverPaths.BUCKETS; b++) {
            NAMES[b] = String.format("%02x", b);
        }
    }

    private Buckets() {}

    static String of(String taskId) {
        int h = taskId.hashCode();
        // spread the high bits of String.hashCode (stable by the JLS) into the low ones
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return NAMES[(h & 0x7fffffff) % DroverPaths.BUCKETS];
    }

    static String name(int b) {
        return NAMES[b];
    }
}
