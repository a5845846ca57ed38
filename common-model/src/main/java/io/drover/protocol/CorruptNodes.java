package io.drover.protocol;

import io.drover.model.CorruptZnodeException;
import io.drover.protocol.runtime.FolderListener;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard every watch and listener callback of a component runs behind. A corrupt node (or a
 * callback that throws for any other reason) is logged once per node version, counted by kind,
 * remembered until the node changes or goes, and never stops the component: the callback's caller
 * carries on with the next node.
 *
 * <p>One per long-lived component (a coordinator, a worker), so its counts survive leadership terms
 * and reconnects. Thread-safe; never blocks.
 */
public final class CorruptNodes {
    private static final Logger LOG = LoggerFactory.getLogger(CorruptNodes.class);

    /**
     * Past this many distinct reports a component logs only every thousandth, so garbage cannot
     * flood the log.
     */
    private static final int LOUD_REPORTS = 100;

    /** A corrupt node as last seen. */
    public record Report(ZnodeKind kind, String path, String problem, long version) {}

    private final String owner;
    private final Map<String, Report> current = new ConcurrentHashMap<>();
    private final Map<ZnodeKind, AtomicLong> counts = new EnumMap<>(ZnodeKind.class);
    private final AtomicLong reports = new AtomicLong();

    /**
     * @param owner names the component in log lines ({@code "leader c1"}, {@code "worker w1"})
     */
    public CorruptNodes(String owner) {
        this.owner = owner;
        for (ZnodeKind k : ZnodeKind.values()) {
            counts.put(k, new AtomicLong());
        }
    }

    /**
     * Runs one callback for the node at {@code path} (at {@code version}, or -1 when unknown). A
     * {@link CorruptZnodeException} is reported as such; any other exception is a bug of ours,
     * reported with its stack trace once per node version. Returns whether the callback completed.
     */
    public boolean guard(String path, long version, Runnable callback) {
        try {
            callback.run();
            return true;
        } catch (CorruptZnodeException e) {
            report(e, version);
        } catch (RuntimeException e) {
            if (first(new Report(ZnodeKind.UNKNOWN, path, "callback failed: " + e, version))) {
                LOG.error(
                        "{} skips {} after an unexpected error (reported once per node version)",
                        owner,
                        path,
                        e);
            }
        }
        return false;
    }

    /** Records a corrupt node; logs it only the first time this version of it is seen. */
    public void report(CorruptZnodeException e, long version) {
        if (first(new Report(e.kind(), e.path(), e.problem(), version))) {
            long n = reports.get();
            if (n <= LOUD_REPORTS || n % 1_000 == 0) {
                LOG.warn(
                        "{} skips a corrupt node until it changes ({} so far; drover fsck lists them): {}",
                        owner,
                        n,
                        e.getMessage());
            } else {
                LOG.debug("{} skips a corrupt node: {}", owner, e.getMessage());
            }
        }
    }

    private boolean first(Report r) {
        Report before = current.put(r.path(), r);
        if (before != null
                && before.version() == r.version()
                && before.problem().equals(r.problem())) {
            return false;
        }
        reports.incrementAndGet();
        counts.get(r.kind()).incrementAndGet();
        return true;
    }

    /** The node now reads well, or is gone: it is no longer reported. */
    public void cleared(String path) {
        current.remove(path);
    }

    /**
     * A folder listener whose callbacks run behind this guard: nothing it throws reaches the watch,
     * and a removal first clears the node (gone is not corrupt).
     */
    public FolderListener guarding(FolderListener listener) {
        return new FolderListener() {
            @Override
            public void upserted(String path, byte[] data, int version) {
                guard(path, version, () -> listener.upserted(path, data, version));
            }

            @Override
            public void removed(String path) {
                cleared(path);
                guard(path, -1, () -> listener.removed(path));
            }

            @Override
            public void initialized() {
                listener.initialized();
            }

            @Override
            public void relisted(java.util.Set<String> present) {
                listener.relisted(present);
            }

            @Override
            public void watchSet() {
                listener.watchSet();
            }
        };
    }

    /** Corrupt nodes as last seen and not since fixed or deleted, by path. */
    public Map<String, Report> current() {
        return new TreeMap<>(current);
    }

    /** How many corrupt node versions were seen since start, per kind (every kind present). */
    public Map<ZnodeKind, Long> counts() {
        Map<ZnodeKind, Long> out = new EnumMap<>(ZnodeKind.class);
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** All kinds together. */
    public long total() {
        return reports.get();
    }
}
