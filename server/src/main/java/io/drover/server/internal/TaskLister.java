package io.drover.server.internal;

import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverPaths;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.protocol.Znodes;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.server.api.TaskPage;
import io.drover.server.api.TaskView;
import io.drover.server.internal.PageToken.Section;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Pages through tasks newest first for {@link ClusterReader}. The order comes from the names of the
 * indexes ({@link TaskIndexes}), so the statuses read are those of the tasks a page shows, plus the
 * ones a type filter passes over; a scan budget bounds them per request, and a resumable {@link
 * PageToken} carries on. Without a state filter the order is: tasks in flight (assigned or
 * running), then pending ones, each newest submitted first, then waiting ones (by id), then ended
 * ones, newest finished first; a state filter walks only its part.
 *
 * <p>Blocking; call from request threads, never from ZooKeeper's event thread. Thread-safe.
 */
final class TaskLister {
    /**
     * Reads in flight at once. Separate reads, not one multi: statuses carry results, and a multi's
     * reply must stay under 1 MB.
     */
    private static final int READS_IN_FLIGHT = 200;

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final int scanBudget;
    private final TaskIndexes indexes;

    /**
     * @param scanBudget statuses read per listing request at most
     */
    TaskLister(CuratorFramework client, DroverPaths paths, int scanBudget) {
        this.client = client;
        this.paths = paths;
        this.scanBudget = scanBudget;
        this.indexes = new TaskIndexes(client, paths);
    }

    /** A status as read: decoded, unreadable (problem set), or gone (both null). */
    private record Read(String id, TaskStatus status, String problem) {}

    /** The page being filled, and what its request may still read. */
    private final class Page {
        final TaskState state;
        final String type;
        final int limit;
        final List<TaskView> tasks = new ArrayList<>();
        int left = scanBudget;

        Page(TaskState state, String type, int limit) {
            this.state = state;
            this.type = type;
            this.limit = limit;
        }

        /** Takes the task if it belongs in this section and passes the filters. */
        void offer(Section section, Read r) {
            if (r.status() == null) {
                if (r.problem() != null && state == null && type == null) {
                    tasks.add(TaskView.unreadable(r.id(), r.problem()));
                }
                return;
            }
            TaskState s = r.status().state();
            boolean inSection =
                    switch (section) {
                        case IN_FLIGHT, IN_FLIGHT_BY_ID ->
                                s == TaskState.ASSIGNED || s == TaskState.RUNNING;
                        case PENDING -> s == TaskState.PENDING;
                        case WAITING -> s == TaskState.WAITING;
                        case ENDED -> s.isTerminal();
                    };
            if (inSection
                    && (state == null || state == s)
                    && (type == null || type.equals(r.status().type()))) {
                tasks.add(TaskView.of(r.status()).withoutResult());
            }
        }

        boolean full() {
            return tasks.size() >= limit;
        }
    }

    /** Where a section's walk stopped the page: {@code next} is null when nothing is left. */
    private record Stop(PageToken next) {}

    /** See {@link ClusterReader#list}. */
    TaskPage list(TaskState state, String type, int limit, String pageToken) throws Exception {
        List<Section> plan = plan(state);
        PageToken at = PageToken.parse(pageToken, plan);
        Page page = new Page(state, type, limit);
        int first =
                plan.indexOf(
                        at.section() == Section.IN_FLIGHT_BY_ID ? Section.IN_FLIGHT : at.section());
        for (int s = first; s < plan.size(); s++) {
            Section section = s == first ? at.section() : plan.get(s);
            String after = s == first ? at.after() : null;
            boolean last = s == plan.size() - 1;
            if (page.left == 0) { // the tasks in flight took the whole budget: go on next time
                return new TaskPage(page.tasks, new PageToken(section, after).encode());
            }
            Stop stop =
                    switch (section) {
                        case IN_FLIGHT, IN_FLIGHT_BY_ID -> inFlight(section, after, page, last);
                        case PENDING ->
                                walk(section, indexes.pending(after, page.left), page, last);
                        case WAITING ->
                                walk(section, indexes.waiting(after, page.left), page, last);
                        case ENDED -> walk(section, indexes.ended(after, page.left), page, last);
                    };
            if (stop != null) {
                return new TaskPage(page.tasks, stop.next() == null ? null : stop.next().encode());
            }
        }
        return new TaskPage(page.tasks, null);
    }

    private static List<Section> plan(TaskState state) {
        if (state == null) {
            return List.of(Section.IN_FLIGHT, Section.PENDING, Section.WAITING, Section.ENDED);
        }
        return switch (state) {
            case WAITING -> List.of(Section.WAITING);
            case ASSIGNED, RUNNING -> List.of(Section.IN_FLIGHT);
            case PENDING -> List.of(Section.PENDING);
            case SUCCEEDED, FAILED, CANCELLED -> List.of(Section.ENDED);
        };
    }

    /**
     * The tasks in flight are at most the workers' slots: when they fit the budget, all their
     * statuses are read and sorted by submit time; otherwise they go by id, reading only what the
     * page uses.
     */
    private Stop inFlight(Section section, String after, Page page, boolean last) throws Exception {
        Boolean running =
                page.state == TaskState.RUNNING
                        ? Boolean.TRUE
                        : page.state == TaskState.ASSIGNED ? Boolean.FALSE : null;
        List<String> ids = indexes.inFlight(running);
        if (section == Section.IN_FLIGHT && ids.size() <= page.left) {
            page.left -= ids.size();
            List<Read> reads = readAll(ids);
            List<TaskIndexes.Entry> entries = new ArrayList<>(reads.size());
            java.util.Map<String, Read> byId = new java.util.HashMap<>();
            for (Read r : reads) {
                if (r.status() != null || r.problem() != null) {
                    TaskStatus s = r.status();
                    String key =
                            TaskIndexes.inFlightKey(
                                    s == null ? 0 : s.submittedAtMs(),
                                    s == null ? 0 : s.submitSeq(),
                                    r.id());
                    if (after == null || key.compareTo(after) < 0) {
                        entries.add(new TaskIndexes.Entry(key, r.id()));
                        byId.put(r.id(), r);
                    }
                }
            }
            entries.sort(Comparator.comparing(TaskIndexes.Entry::key).reversed());
            for (int i = 0; i < entries.size(); i++) {
                page.offer(section, byId.get(entries.get(i).taskId()));
                if (page.full()) {
                    return stop(section, entries.get(i), i + 1 < entries.size() || !last);
                }
            }
            return null;
        }
        String before = section == Section.IN_FLIGHT_BY_ID ? after : null;
        List<TaskIndexes.Entry> byId = new ArrayList<>();
        for (String id : ids) {
            if (before == null || id.compareTo(before) < 0) {
                byId.add(new TaskIndexes.Entry(id, id));
            }
        }
        byId.sort(Comparator.comparing(TaskIndexes.Entry::key).reversed());
        boolean more = byId.size() > page.left;
        List<TaskIndexes.Entry> slice = more ? byId.subList(0, page.left) : byId;
        return walk(Section.IN_FLIGHT_BY_ID, new TaskIndexes.Slice(slice, more), page, last);
    }

    /** Reads the slice's statuses in order, a chunk at a time, until the page or budget is full. */
    private Stop walk(Section section, TaskIndexes.Slice slice, Page page, boolean last)
            throws Exception {
        List<TaskIndexes.Entry> entries = slice.entries();
        for (int i = 0; i < entries.size(); ) {
            int chunk = Math.min(entries.size() - i, READS_IN_FLIGHT);
            List<String> ids = new ArrayList<>(chunk);
            for (int j = 0; j < chunk; j++) {
                ids.add(entries.get(i + j).taskId());
            }
            List<Read> reads = readAll(ids);
            for (int j = 0; j < chunk; j++, i++) {
                page.left--;
                page.offer(section, reads.get(j));
                boolean more = i + 1 < entries.size() || slice.more() || !last;
                if (page.full() || page.left == 0) {
                    return stop(section, entries.get(i), more);
                }
            }
        }
        return slice.more() ? stop(section, entries.get(entries.size() - 1), true) : null;
    }

    private static Stop stop(Section section, TaskIndexes.Entry at, boolean more) {
        return new Stop(more ? new PageToken(section, at.key()) : null);
    }

    /** The statuses of these tasks, read with calls in flight together, in the same order. */
    private List<Read> readAll(List<String> ids) throws Exception {
        List<Read> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i += READS_IN_FLIGHT) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + READS_IN_FLIGHT));
            List<CompletableFuture<Optional<byte[]>>> reads = new ArrayList<>(chunk.size());
            for (String id : chunk) {
                reads.add(read(paths.status(id)));
            }
            for (int j = 0; j < chunk.size(); j++) {
                out.add(decode(chunk.get(j), ZooKeeperCalls.await(reads.get(j))));
            }
        }
        return out;
    }

    private CompletableFuture<Optional<byte[]>> read(String path) throws Exception {
        CompletableFuture<Optional<byte[]>> f = new CompletableFuture<>();
        client.getData()
                .inBackground(
                        (c, e) -> {
                            KeeperException.Code rc = KeeperException.Code.get(e.getResultCode());
                            if (rc == KeeperException.Code.OK) {
                                f.complete(Optional.of(e.getData()));
                            } else if (rc == KeeperException.Code.NONODE) {
                                f.complete(Optional.empty());
                            } else {
                                f.completeExceptionally(KeeperException.create(rc, path));
                            }
                        })
                .forPath(path);
        return f;
    }

    private Read decode(String id, Optional<byte[]> data) {
        if (data.isEmpty()) {
            return new Read(id, null, null); // ended or deleted between the listing and the read
        }
        try {
            return new Read(id, Znodes.status(paths.status(id), data.get()), null);
        } catch (CorruptZnodeException e) {
            return new Read(id, null, e.getMessage());
        }
    }
}
