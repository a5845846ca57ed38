package io.drover.election;

/** A newer leader's epoch rejected this term's write. Not retryable: the term is over. */
public class FencedOutException extends RuntimeException {
    private final long epoch;

    public FencedOutException(long epoch, Throwable cause) {
        super("write of leader epoch " + epoch + " rejected: a newer leader holds the epoch", cause);
        this.epoch = epoch;
    }

    public long epoch() {
        return epoch;
    }

    /** Never: this writer is deposed. */
    public boolean isRetryable() {
        return false;
    }
}
