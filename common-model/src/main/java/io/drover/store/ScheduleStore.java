package io.drover.store;

import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverException;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.InvalidTaskException;
import io.drover.model.Names;
import io.drover.model.PayloadTooLargeException;
import io.drover.model.PreconditionFailedException;
import io.drover.model.Schedule;
import io.drover.model.ScheduleNotFoundException;
import io.drover.protocol.Znodes;
import io.drover.protocol.ZooKeeperCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Defines, reads, pauses and removes cron schedules at {@code schedules/<id>}, directly in
 * ZooKeeper: no leader is needed to define one (the leader fires whichever exist while it leads).
 * The node also holds what the leader fired (see {@link Schedule}), so every write here is a
 * versioned read-modify-write that carries the leader's fields through, retried when the leader
 * wrote in between. Optimistic concurrency for people is on the definition's {@code revision},
 * which only writes here move: a leader firing a tick does not invalidate an {@code If-Match}.
 *
 * <p>Thread-safe. Every method blocks on ZooKeeper: never call it on the ZooKeeper event thread.
 * Failures are {@link DroverException}s; a bad field is an {@link InvalidTaskException} naming it.
 */
public final class ScheduleStore {
    /** At most this many schedules per cluster: {@code schedules/} is one parent. */
    public static final int MAX_SCHEDULES = 10_000;

    /** Retries of a write that lost to another writer (the leader firing, another API call). */
    private static final int CAS_TRIES = 64;

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final int maxTaskBytes;

    /**
     * @param maxTaskBytes the cap on a task's encoded spec ({@link StoreOptions#maxTaskBytes()}): a
     *     template over it could never fire
     */
    public ScheduleStore(CuratorFramework client, DroverPaths paths, int maxTaskBytes) {
        this.client = client;
        this.paths = paths;
        this.maxTaskBytes = maxTaskBytes;
    }

    /** What a put did: the schedule as stored now, and whether it is new. */
    public record PutResult(Schedule schedule, boolean created) {}

    /**
     * A schedule as listed: its record, or, when its node does not validate, why (then {@code
     * schedule} is null; the leader skips it too).
     */
    public record Listed(String id, Schedule schedule, String error) {}

    /**
     * Creates the schedule or replaces its definition ({@link Schedule#redefinedAs}): the leader's
     * record of what it fired stays, so a redefinition never fires a tick again.
     *
     * @param ifMatch the revision the caller read ({@code "3"}, {@code 3}, {@code W/"3"}, or {@code
     *     *} for any existing one); null to create or replace whatever is there
     * @param createOnly only create ({@code If-None-Match: *})
     * @throws PreconditionFailedException when {@code ifMatch} or {@code createOnly} does not hold
     */
    public PutResult put(Schedule definition, String ifMatch, boolean createOnly) {
        Schedule requested = definition.validate();
        if (requested.parsedCron().nextAfter(System.currentTimeMillis()) < 0) {
            throw new InvalidTaskException(
                    "cron", "never fires: " + requested.cron() + " names no time from now on");
        }
        int size = DroverJson.encode(requested.taskFor(0)).length;
        if (size > maxTaskBytes) {
            throw new PayloadTooLargeException(
                    "task",
                    "task template is " + size + " bytes, over the limit of " + maxTaskBytes,
                    size,
                    maxTaskBytes);
        }
        String id = requested.id();
        return ZooKeeperCalls.call(
                "put schedule " + id,
                () -> {
                    for (int i = 0; i < CAS_TRIES; i++) {
                        Stat stat = new Stat();
                        Optional<Schedule> current;
                        boolean corrupt = false;
                        try {
                            current = read(id, stat);
                        } catch (CorruptZnodeException e) {
                            if (ifMatch != null || createOnly) {
                                throw e;
                            }
                            current = Optional.empty(); // a blind put repairs it
                            corrupt = true;
                        }
                        long now = System.currentTimeMillis();
                        if (current.isEmpty()) {
                            if (ifMatch != null) {
                                throw ScheduleConditions.mismatch("If-Match", id, "does not exist");
                            }
                            Schedule created = requested.created(now);
                            if (corrupt ? write(created, stat) : create(created)) {
                                return new PutResult(created, true);
                            }
                            continue;
                        }
                        if (createOnly) {
                            throw ScheduleConditions.mismatch(
                                    "If-None-Match",
                                    id,
                                    "exists already (revision " + current.get().revision() + ")");
                        }
                        ScheduleConditions.checkRevision(id, ifMatch, current.get());
                        Schedule next = current.get().redefinedAs(requested, now);
                        if (write(next, stat)) {
                            return new PutResult(next, false);
                        }
                    }
                    throw ScheduleConditions.busy(id);
                });
    }

    /**
     * The schedule, if defined; a node that does not validate is a {@link CorruptZnodeException}.
     */
    public Optional<Schedule> get(String id) {
        Names.checkName("id", id);
        return ZooKeeperCalls.call("read schedule " + id, () -> read(id, new Stat()));
    }

    /** Every schedule, sorted by id; one read each. */
    public List<Listed> list() {
        return ZooKeeperCalls.call(
                "list schedules",
                () -> {
                    List<String> ids;
                    try {
                        ids = new ArrayList<>(client.getChildren().forPath(paths.schedules()));
                    } catch (KeeperException.NoNodeException olderLayout) {
                        return List.<Listed>of();
                    }
                    ids.sort(null);
                    List<Listed> out = new ArrayList<>(ids.size());
                    for (String id : ids) {
                        try {
                            read(id, new Stat()).ifPresent(s -> out.add(new Listed(id, s, null)));
                        } catch (CorruptZnodeException e) {
                            out.add(new Listed(id, null, e.problem()));
                        }
                    }
                    return out;
                });
    }

    /** Pauses the schedule: it fires nothing until resumed. Idempotent. */
    public Schedule pause(String id) {
        return change(id, "pause", s -> s.paused() ? null : s.withPaused(true));
    }

    /**
     * Resumes the schedule: it fires the ticks after now; the ticks while it was paused are never
     * fired. Idempotent.
     */
    public Schedule resume(String id) {
        return change(id, "resume", s -> s.paused() ? s.withPaused(false) : null);
    }

    /**
     * Removes the schedule: it fires no more (tasks it fired stay). False if it did not exist.
     *
     * @param ifMatch as in {@link #put}; a node that does not validate is removed only without it
     */
    public boolean delete(String id, String ifMatch) {
        Names.checkName("id", id);
        return ZooKeeperCalls.call(
                "delete schedule " + id,
                () -> {
                    for (int i = 0; i < CAS_TRIES; i++) {
                        Stat stat = new Stat();
                        Optional<Schedule> current;
                        try {
                            current = read(id, stat);
                        } catch (CorruptZnodeException e) {
                            if (ifMatch != null) {
                                throw e;
                            }
                            current = null; // a blind delete removes it
                        }
                        if (current != null && current.isEmpty()) {
                            if (ifMatch != null) {
                                throw ScheduleConditions.mismatch("If-Match", id, "does not exist");
                            }
                            return false;
                        }
                        if (current != null) {
                            ScheduleConditions.checkRevision(id, ifMatch, current.get());
                        }
                        try {
                            client.delete()
                                    .withVersion(ifMatch == null ? -1 : stat.getVersion())
                                    .forPath(paths.schedule(id));
                            return true;
                        } catch (KeeperException.NoNodeException gone) {
                            return false;
                        } catch (KeeperException.BadVersionException raced) {
                            // the leader fired a tick, or someone redefined it: check again
                        }
                    }
                    throw ScheduleConditions.busy(id);
                });
    }

    /** A read-modify-write of the definition; {@code edit} returns null for "nothing to do". */
    private Schedule change(String id, String what, UnaryOperator<Schedule> edit) {
        Names.checkName("id", id);
        return ZooKeeperCalls.call(
                what + " schedule " + id,
                () -> {
                    for (int i = 0; i < CAS_TRIES; i++) {
                        Stat stat = new Stat();
                        Schedule current =
                                read(id, stat).orElseThrow(() -> new ScheduleNotFoundException(id));
                        Schedule edited = edit.apply(current);
                        if (edited == null) {
                            return current;
                        }
                        Schedule next = current.redefinedAs(edited, System.currentTimeMillis());
                        if (write(next, stat)) {
                            return next;
                        }
                    }
                    throw ScheduleConditions.busy(id);
                });
    }

    /** The stored schedule and its node's stat; empty when there is none. */
    private Optional<Schedule> read(String id, Stat stat) throws Exception {
        String path = paths.schedule(id);
        try {
            return Optional.of(
                    Znodes.schedule(path, client.getData().storingStatIn(stat).forPath(path)));
        } catch (KeeperException.NoNodeException none) {
            return Optional.empty();
        }
    }

    /** Creates the node; false when one was created meanwhile. */
    private boolean create(Schedule created) throws Exception {
        Stat folder = client.checkExists().forPath(paths.schedules());
        if (folder != null && folder.getNumChildren() >= MAX_SCHEDULES) {
            throw new InvalidTaskException(
                    "id", "the cluster holds " + MAX_SCHEDULES + " schedules, the most it takes");
        }
        try {
            client.create()
                    .creatingParentsIfNeeded()
                    .forPath(paths.schedule(created.id()), DroverJson.encode(created));
            return true;
        } catch (KeeperException.NodeExistsException raced) {
            return false;
        }
    }

    /** A versioned write of the whole record; false when someone wrote or deleted it meanwhile. */
    private boolean write(Schedule next, Stat stat) throws Exception {
        try {
            client.setData()
                    .withVersion(stat.getVersion())
                    .forPath(paths.schedule(next.id()), DroverJson.encode(next));
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException raced) {
            return false;
        }
    }
}
