package io.drover.model;

/**
 * A task spec or id breaks a rule; the message names the field. Retrying the same input cannot
 * help.
 */
public class InvalidTaskException extends DroverException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidTaskException(String field, String message) {
        super(field + ": " + message, false);
        this.field = field;
    }

    /** The same problem, its field named within something larger ({@code tasks[3].}). */
    public InvalidTaskException prefixed(String prefix) {
        return new InvalidTaskException(prefix + field, getMessage().substring(field.length() + 2));
    }

    /** The offending field, e.g. {@code payload} or {@code id}. */
    public String field() {
        return field;
    }
}
