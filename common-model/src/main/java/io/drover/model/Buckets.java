package io.drover.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One layout's buckets: how many, their names, and which one a task id falls in. Both layouts hash
 * an id the same way and keep its low bits, so an id's bucket in layout 1 is its layout-2 bucket's
 * low six bits ({@code b256 & 63 == b64}): one layout-1 bucket splits into four.
 */
public final class Buckets {
    static final Buckets LAYOUT_1 = new Buckets(1, 64);
    static final Buckets LAYOUT_2 = new Buckets(2, 256);

    final int layoutVersion;
    final int count;
    private final String[] names;

    private Buckets(int layoutVersion, int count) {
        this.layoutVersion = layoutVersion;
        this.count = count;
        this.names = new String[count];
        for (int b = 0; b < count; b++) {
            names[b] = String.format("%02x", b);
        }
    }

    /** The buckets of a layout version, or null for one this Drover does not know. */
    static Buckets ofLayout(int layoutVersion) {
        return switch (layoutVersion) {
            case 1 -> LAYOUT_1;
            case 2 -> LAYOUT_2;
            default -> null;
        };
    }

    /** Buckets per bucketed folder in a layout version, or 0 for one this Drover does not know. */
    public static int countOf(int layoutVersion) {
        Buckets b = ofLayout(layoutVersion);
        return b == null ? 0 : b.count;
    }

    /** Whether {@code bucket} is where some known layout puts {@code taskId}. */
    public static boolean inSomeLayout(String taskId, String bucket) {
        return bucket.equals(LAYOUT_2.of(taskId)) || bucket.equals(LAYOUT_1.of(taskId));
    }

    List<String> folders(String bucketedRoot) {
        List<String> out = new ArrayList<>(count);
        for (String name : names) {
            out.add(bucketedRoot + "/" + name);
        }
        return out;
    }

    String of(String taskId) {
        int h = taskId.hashCode();
        // spread the high bits of String.hashCode (stable by the JLS) into the low ones
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return names[h & (count - 1)];
    }

    /** One cluster's layout: this Drover's until adopted from the marker, then fixed. */
    static final class Choice {
        private final AtomicReference<Buckets> adopted = new AtomicReference<>();

        /** Set when a path was built in the default layout: adopting layout 1 is then late. */
        private volatile boolean builtBeforeAdopting;

        Buckets get() {
            Buckets b = adopted.get();
            if (b == null) {
                builtBeforeAdopting = true;
                return LAYOUT_2;
            }
            return b;
        }

        void adopt(int layoutVersion, String root) {
            Buckets b = ofLayout(layoutVersion);
            if (b == null) {
                throw new IllegalArgumentException("unknown layout version " + layoutVersion);
            }
            if (b != LAYOUT_2 && builtBeforeAdopting) {
                throw new IllegalStateException(
                        root + ": bucketed paths were built before its layout was read");
            }
            if (!adopted.compareAndSet(null, b) && adopted.get() != b) {
                throw new IllegalStateException(
                        root + " already uses layout " + adopted.get().layoutVersion);
            }
        }
    }
}
