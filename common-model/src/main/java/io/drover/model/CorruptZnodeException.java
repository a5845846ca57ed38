package io.drover.model;

/**
 * A znode holds data Drover cannot read (written by hand, truncated, or not JSON). The path is in
 * the message so an operator can inspect or delete it. Not retryable.
 */
public class CorruptZnodeException extends DroverException {
    private final String path;

    public CorruptZnodeException(String path, String problem, Throwable cause) {
        super("corrupt data at " + path + ": " + problem, false, cause);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
