package io.drover.model;

/**
 * A conditional write did not hold: the record is at another version than the caller's {@code
 * If-Match} named, or exists when it was to be created only ({@code If-None-Match: *}). Reading it
 * again and retrying may help; retrying the same call cannot.
 */
public class PreconditionFailedException extends DroverException {
    private static final long serialVersionUID = 1L;

    private final String header;

    /**
     * @param header the condition that did not hold: {@code If-Match} or {@code If-None-Match}
     */
    public PreconditionFailedException(String header, String message) {
        super(message, false);
        this.header = header;
    }

    /** The request header (or option) whose condition did not hold. */
    public String header() {
        return header;
    }
}
