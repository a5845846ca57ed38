package io.drover.model;

/**
 * The cluster, or the task's type, holds as many live (not yet ended) tasks as it takes; nothing
 * was written. Retryable: the same submission succeeds once enough tasks have ended (the API
 * answers 429 with {@code Retry-After}).
 */
public class QuotaExceededException extends DroverException {
    private static final long serialVersionUID = 1L;

    private final long live;
    private final long max;

    public QuotaExceededException(long live, long max) {
        this("the cluster", live, max);
    }

    /**
     * @param scope what is full: {@code the cluster}, {@code task type 'resize'}
     */
    public QuotaExceededException(String scope, long live, long max) {
        super(
                scope
                        + " has "
                        + live
                        + " live tasks and takes at most "
                        + max
                        + "; retry once some have ended",
                true);
        this.live = live;
        this.max = max;
    }

    /** The bytes of live tasks' specs would go beyond the cluster's cap. */
    public static QuotaExceededException bytes(long liveBytes, long maxBytes) {
        return new QuotaExceededException(
                liveBytes,
                maxBytes,
                "the cluster holds "
                        + liveBytes
                        + " bytes of live task specs and takes at most "
                        + maxBytes
                        + "; retry once some tasks have ended");
    }

    private QuotaExceededException(long live, long max, String message) {
        super(message, true);
        this.live = live;
        this.max = max;
    }

    public long live() {
        return live;
    }

    public long max() {
        return max;
    }
}
