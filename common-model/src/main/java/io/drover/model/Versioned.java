package io.drover.model;

/**
 * A value read from a znode together with the znode's version, for a later compare-and-set.
 *
 * @param zxid the zxid of the write that last changed the node (its {@code mzxid}); 0 where the
 *     reader did not keep it
 */
public record Versioned<T>(T value, int version, long zxid) {
    public Versioned(T value, int version) {
        this(value, version, 0);
    }
}
