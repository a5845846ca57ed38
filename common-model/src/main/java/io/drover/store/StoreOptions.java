package io.drover.store;

/**
 * Limits of the task store.
 *
 * @param maxTaskBytes hard cap on an encoded task spec; ZooKeeper's own limit ({@code
 *     jute.maxbuffer}) is 1 MiB for a whole request, so the default keeps well under it
 * @param maxBatchOps ops per submission {@code multi}
 * @param maxLiveTasks submissions beyond this many live (not yet ended) tasks in the cluster fail
 *     with {@link io.drover.model.QuotaExceededException}; see {@code docs/security.md} for how the
 *     default follows from ZooKeeper's memory
 * @param maxLiveSpecBytes submissions beyond this many bytes of live tasks' specs fail the same way
 *     (counted by the leader; see {@code docs/security.md})
 */
public record StoreOptions(
        int maxTaskBytes, int maxBatchOps, long maxLiveTasks, long maxLiveSpecBytes) {
    public static final int DEFAULT_MAX_TASK_BYTES = 256 * 1024;

    /** About 200 MB of ZooKeeper heap at the measured 2 KB per live task. */
    public static final long DEFAULT_MAX_LIVE_TASKS = 100_000;

    /**
     * A quarter of the 1 GB heap of ZooKeeper's own start script: 1,000 live tasks of the largest
     * spec, or 100,000 of 2.6 KB.
     */
    public static final long DEFAULT_MAX_LIVE_SPEC_BYTES = 256L * 1024 * 1024;

    /**
     * Batched multis stay under this (one larger item still goes alone). ZooKeeper keeps its last
     * 500 requests in memory, about three copies of each (commitLogCount, which it will not lower
     * below 500): at 768 KiB a multi, as before issue 15, that was up to 1.1 GB of a server's heap;
     * at 128 KiB it is under 200 MB, and a burst still batches about 130 tasks a multi.
     */
    public static final int MAX_MULTI_BYTES = 128 * 1024;

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
        if (maxLiveTasks < 1 || maxLiveTasks > 100_000_000) {
            throw new IllegalArgumentException(
                    "maxLiveTasks must be between 1 and 100000000, was " + maxLiveTasks);
        }
        if (maxLiveSpecBytes < maxTaskBytes) {
            throw new IllegalArgumentException(
                    "maxLiveSpecBytes must be at least maxTaskBytes ("
                            + maxTaskBytes
                            + "), was "
                            + maxLiveSpecBytes);
        }
    }

    public StoreOptions(int maxTaskBytes, int maxBatchOps) {
        this(maxTaskBytes, maxBatchOps, DEFAULT_MAX_LIVE_TASKS);
    }

    public StoreOptions(int maxTaskBytes, int maxBatchOps, long maxLiveTasks) {
        this(maxTaskBytes, maxBatchOps, maxLiveTasks, DEFAULT_MAX_LIVE_SPEC_BYTES);
    }

    public static StoreOptions defaults() {
        return new StoreOptions(DEFAULT_MAX_TASK_BYTES, 600);
    }

    public StoreOptions withMaxLiveTasks(long max) {
        return new StoreOptions(maxTaskBytes, maxBatchOps, max, maxLiveSpecBytes);
    }

    public StoreOptions withMaxLiveSpecBytes(long max) {
        return new StoreOptions(maxTaskBytes, maxBatchOps, maxLiveTasks, max);
    }
}
