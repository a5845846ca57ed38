package io.drover.store;

/**
 * Limits of the task store.
 *
 * @param maxTaskBytes hard cap on an encoded task spec; ZooKeeper's own limit ({@code
 *     jute.maxbuffer}) is 1 MiB for a whole request, so the default keeps well under it
 * @param maxBatchOps ops per submission {@code multi}
 */
public record StoreOptions(int maxTaskBytes, int maxBatchOps) {
    public static final int DEFAULT_MAX_TASK_BYTES = 256 * 1024;

    /** Submissions batched into one multi stay under this, leaving room for ZooKeeper's framing. */
    public static final int MAX_MULTI_BYTES = 768 * 1024;

    /**
     * How long a blocking ZooKeeper call (connect, a read at the start of a term) may take before
     * it counts as failed.
     */
    public static final java.time.Duration ZK_CALL_TIMEOUT = java.time.Duration.ofSeconds(30);

    public StoreOptions {
        if (maxTaskBytes < 1024 || maxTaskBytes > 900 * 1024) {
            throw new IllegalArgumentException(
                    "maxTaskBytes must be between 1024 and 921600, was " + maxTaskBytes);
        }
        if (maxBatchOps < 3 || maxBatchOps > 10_000) {
            throw new IllegalArgumentException(
                    "maxBatchOps must be between 3 and 10000, was " + maxBatchOps);
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(DEFAULT_MAX_TASK_BYTES, 600);
    }
}
