package io.drover.model;

import io.drover.protocol.ZnodeKind;

/**
 * A znode holds data Drover cannot accept (written by hand, truncated, not JSON, or JSON that
 * breaks a rule of its record: a missing field, a value out of range, an id that is not the node's
 * name). The kind, path and problem are in the message so an operator can inspect or delete it
 * ({@code drover fsck}). Not retryable: the same bytes fail the same way.
 */
public class CorruptZnodeException extends DroverException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final ZnodeKind kind;
    private final String problem;

    public CorruptZnodeException(String path, String problem, Throwable cause) {
        this(ZnodeKind.UNKNOWN, path, problem, cause);
    }

    public CorruptZnodeException(ZnodeKind kind, String path, String problem, Throwable cause) {
        super("corrupt " + kind.label() + " at " + path + ": " + problem, false, cause);
        this.path = path;
        this.kind = kind;
        this.problem = problem;
    }

    public String path() {
        return path;
    }

    public ZnodeKind kind() {
        return kind;
    }

    /** What is wrong, without the path. */
    public String problem() {
        return problem;
    }

    /** The same problem, attributed to a kind (decoders that know what they read). */
    public CorruptZnodeException as(ZnodeKind k) {
        return kind == k ? this : new CorruptZnodeException(k, path, problem, getCause());
    }
}
