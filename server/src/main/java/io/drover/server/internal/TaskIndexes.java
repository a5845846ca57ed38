package io.drover.server.internal;

import io.drover.model.DroverPaths;
import io.drover.model.PendingKey;
import io.drover.protocol.ZooKeeperCalls;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;

/**
 * The names of the task indexes as newest-first keys, for {@link TaskLister}: the pending index
 * ({@code pending/<b>/<inverted priority>-<submit ms>.<seq>-<id>}) by submit time, the retention
 * index ({@code done/<b>/<finish ms>-<id>}) by finish time, and the tasks in flight ({@code
 * assignments/<worker>/<id>}, {@code claims/<id>}). A key sorts like the time it carries (fixed
 * width digits), then the id; a larger key is newer. Names only: no task is read here. Listing an
 * index lists every name in it (ZooKeeper has no range reads), but only the {@code k} keys a page
 * may use are kept, so memory stays bounded by the scan budget.
 *
 * <p>Blocking; call from request threads. Thread-safe (stateless).
 */
final class TaskIndexes {
    /** One index entry: its newest-first key and the task it names. */
    record Entry(String key, String taskId) {}

    /** Entries newer-first, and whether more older than the last one were left out. */
    record Slice(List<Entry> entries, boolean more) {}

    private static final Comparator<Entry> BY_KEY = Comparator.comparing(Entry::key);

    private final CuratorFramework client;
    private final DroverPaths paths;

    TaskIndexes(CuratorFramework client, DroverPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /** Pending tasks, newest submitted first, older than {@code before} (null: from the newest). */
    Slice pending(String before, int k) throws Exception {
        return newest(paths.buckets(paths.pending()), TaskIndexes::pendingEntry, before, k);
    }

    /**
     * Tasks waiting for their dependencies, by id (the index names carry no time), largest first,
     * below {@code before} (null: from the largest).
     */
    Slice waiting(String before, int k) throws Exception {
        return newest(paths.buckets(paths.waiting()), id -> new Entry(id, id), before, k);
    }

    /** Ended tasks, newest finished first, older than {@code before} (null: from the newest). */
    Slice ended(String before, int k) throws Exception {
        return newest(paths.buckets(paths.done()), TaskIndexes::endedEntry, before, k);
    }

    /**
     * Ids of the tasks in flight: with {@code running} true only those claimed (RUNNING), false
     * only those assigned and not claimed (ASSIGNED), null both. At most the workers' slots.
     */
    List<String> inFlight(Boolean running) throws Exception {
        List<String> claimed = client.getChildren().forPath(paths.claims());
        if (Boolean.TRUE.equals(running)) {
            return claimed;
        }
        List<String> workers = client.getChildren().forPath(paths.assignments());
        List<String> folders = new ArrayList<>(workers.size());
        workers.forEach(w -> folders.add(paths.assignments(w)));
        java.util.Set<String> ids = new java.util.TreeSet<>();
        ZooKeeperCalls.children(client, folders).forEach(ids::addAll);
        if (running == null) {
            ids.addAll(claimed);
        } else {
            claimed.forEach(ids::remove);
        }
        return new ArrayList<>(ids);
    }

    /**
     * The key of a pending entry name: {@code <13-digit submit ms>.<6-digit seq>-<id>}; an older
     * writer's key without a sequence gets {@code 000000}. Null for a name that is not a key.
     */
    static Entry pendingEntry(String name) {
        String id = PendingKey.taskIdOf(name);
        int first = name.indexOf('-');
        if (id == null || first != 7 || name.length() < 8 + 13) {
            return null;
        }
        String time = name.substring(8, 8 + 13);
        String rest = name.substring(8 + 13, name.length() - id.length() - 1);
        String seq =
                rest.isEmpty()
                        ? "000000"
                        : rest.length() == 7 && rest.charAt(0) == '.' ? rest.substring(1) : null;
        return seq == null || !digits(time) || !digits(seq)
                ? null
                : new Entry(key(time, seq, id), id);
    }

    /** The key of a retention index name: the name itself, {@code <13-digit ms>-<id>}. */
    static Entry endedEntry(String name) {
        String id = PendingKey.taskIdOfDone(name);
        return id == null || PendingKey.timeOfDone(name) < 0 ? null : new Entry(name, id);
    }

    /** A key for a task in flight, from its status: submit time and sequence, like pending. */
    static String inFlightKey(long submittedAtMs, long submitSeq, String id) {
        StringBuilder sb = new StringBuilder();
        pad(sb, submittedAtMs, 13).append('.');
        pad(sb, submitSeq, 6);
        return sb.append('-').append(id).toString();
    }

    private static String key(String time, String seq, String id) {
        return time + "." + seq + "-" + id;
    }

    private static StringBuilder pad(StringBuilder sb, long value, int width) {
        String digits = Long.toString(Math.max(0, value));
        sb.append("0".repeat(Math.max(0, width - digits.length())));
        return sb.append(digits);
    }

    private static boolean digits(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The k newest entries older than {@code before} across the folders, newest first. */
    private Slice newest(List<String> folders, Function<String, Entry> entry, String before, int k)
            throws Exception {
        PriorityQueue<Entry> kept = new PriorityQueue<>(BY_KEY); // the oldest kept on top
        boolean more = false;
        for (List<String> names : ZooKeeperCalls.children(client, folders)) {
            for (String name : names) {
                Entry e = entry.apply(name);
                if (e == null || (before != null && e.key().compareTo(before) >= 0)) {
                    continue;
                }
                if (kept.size() < k) {
                    kept.add(e);
                } else {
                    more = true;
                    if (BY_KEY.compare(e, kept.peek()) > 0) {
                        kept.poll();
                        kept.add(e);
                    }
                }
            }
        }
        List<Entry> out = new ArrayList<>(kept);
        out.sort(BY_KEY.reversed());
        return new Slice(out, more);
    }
}
