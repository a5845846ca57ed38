package io.drover.model;

/**
 * The item exists with a different spec; specs are fixed once declared. Not retryable: delete it
 * first, or use a new id.
 */
public class ItemConflictException extends DroverException {
    private static final long serialVersionUID = 1L;

    public ItemConflictException(String itemId) {
        super(
                "item "
                        + itemId
                        + " already exists with a different spec (a spec is fixed once declared; replicas and labels may change)",
                false);
    }
}
