package io.drover.model;

/** A spec is larger than the configured znode data cap. Not retryable: shrink the payload. */
public class PayloadTooLargeException extends InvalidTaskException {
    private final int sizeBytes;
    private final int limitBytes;

    public PayloadTooLargeException(int sizeBytes, int limitBytes) {
        super("payload", "task spec is " + sizeBytes + " bytes, over the limit of " + limitBytes
                + " bytes (StoreOptions.maxTaskBytes; api.maxTaskSize on a coordinator server); store large inputs elsewhere and pass a reference");
        this.sizeBytes = sizeBytes;
        this.limitBytes = limitBytes;
    }

    public int sizeBytes() {
        return sizeBytes;
    }

    public int limitBytes() {
        return limitBytes;
    }
}
