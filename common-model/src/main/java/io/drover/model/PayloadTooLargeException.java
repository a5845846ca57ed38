package io.drover.model;

/** A spec is larger than the configured znode data cap. Not retryable: shrink the payload. */
public class PayloadTooLargeException extends InvalidTaskException {
    private static final long serialVersionUID = 1L;

    private final int sizeBytes;
    private final int limitBytes;

    public PayloadTooLargeException(int sizeBytes, int limitBytes) {
        super(
                "payload",
                "task spec is "
                        + sizeBytes
                        + " bytes, over the limit of "
                        + limitBytes
                        + " bytes (StoreOptions.maxTaskBytes; api.maxTaskSize on a coordinator server); store large inputs elsewhere and pass a reference");
        this.sizeBytes = sizeBytes;
        this.limitBytes = limitBytes;
    }

    /** For other records with a size cap (items): names the field and the limit. */
    public PayloadTooLargeException(String field, String message, int sizeBytes, int limitBytes) {
        super(field, message);
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
