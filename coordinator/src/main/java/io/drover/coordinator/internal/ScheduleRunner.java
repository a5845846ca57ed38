package io.drover.coordinator.internal;

import io.drover.model.Cron;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.PendingKey;
import io.drover.model.Schedule;
import io.drover.model.TaskSpec;
import io.drover.model.Versioned;
import io.drover.protocol.TaskTransitions;
import io.drover.protocol.Znodes;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.protocol.runtime.FolderListener;
import io.drover.protocol.runtime.WatchedFolder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the ticks of the cron schedules in {@code schedules/} while this leader is ready: watches
 * the folder, asks {@link SchedulePlanner} what each schedule's next step is, and writes it. A
 * fired tick is one fenced multi (the term's epoch check) holding the submission of its task
 * ({@link TaskTransitions#submit}, id {@link Schedule#taskIdFor}) and the schedule's record of it,
 * a {@code setData} at the version the plan was made from: a deposed leader's fire fails in
 * ZooKeeper, a fire raced by a redefinition fails and is planned again from the new version, and
 * the tick's fixed task id makes a second submission of it impossible. Skipped ticks are recorded
 * the same way, without a task. One wake-up timer ({@link WakeTimer}) on the leader's executor, for
 * the earliest next tick: nothing polls.
 *
 * <p>Overlap {@link Schedule.Overlap#SKIP} costs one status read per tick that would fire, none
 * once the last task was seen ended. A schedule node that does not validate is reported and skipped
 * until it changes. Leader thread only, apart from {@link #close()}.
 */
final class ScheduleRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleRunner.class);

    /** One schedule as the leader knows it. Leader thread only. */
    private static final class Entry {
        Schedule schedule; // null while its node does not validate
        Cron cron;
        int version = -1;
        int lostAtVersion = -1; // a write over this version failed: wait for a newer one
        boolean busy; // a write or an overlap read in flight
        String endedTaskId; // the last task fired that was seen ended
        long wakeAtMs = -1;
    }

    private final LeaderContext ctx;
    private final BooleanSupplier active;
    private final WatchedFolder folder;
    private final WakeTimer wake;
    private final TaskTransitions transitions;
    private final Map<String, Entry> entries = new HashMap<>();
    private long seq;

    ScheduleRunner(LeaderContext ctx, ScheduledExecutorService executor, BooleanSupplier active) {
        this.ctx = ctx;
        this.active = active;
        this.transitions = new TaskTransitions(ctx.client(), ctx.paths());
        this.wake = new WakeTimer(executor, System::currentTimeMillis, this::onWake);
        this.folder =
                new WatchedFolder(
                        ctx.client(),
                        ctx.paths().schedules(),
                        1,
                        executor,
                        ctx.corrupt().guarding(FolderListener.of(this::onNode, this::onGone)));
    }

    /** Starts watching once the leader is ready; the first listing plans every schedule. */
    void start() {
        if (active.getAsBoolean()) {
            folder.start();
        }
    }

    /** Completes once the schedules are watched and planned. */
    CompletableFuture<Void> watching() {
        return folder.whenInitialized();
    }

    @Override
    public void close() {
        folder.close();
    }

    private void onNode(String path, byte[] data, int version) {
        Entry e = entries.computeIfAbsent(DroverPaths.nodeName(path), id -> new Entry());
        if (version < e.version) {
            return; // older than what this leader wrote itself
        }
        e.version = version;
        e.schedule = null; // until this version validates
        Schedule s = Znodes.schedule(path, data);
        e.cron = s.parsedCron();
        e.schedule = s;
        ctx.corrupt().cleared(path);
        plan(s.id(), e, System.currentTimeMillis());
    }

    private void onGone(String path) {
        entries.remove(DroverPaths.nodeName(path)); // a write in flight fails: the node is gone
    }

    private void onWake() {
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Entry> x : new ArrayList<>(entries.entrySet())) {
            Entry e = x.getValue();
            if (e.wakeAtMs >= 0 && e.wakeAtMs <= now) {
                plan(x.getKey(), e, now);
            } else if (e.wakeAtMs >= 0) {
                wake.wakeAt(e.wakeAtMs, now);
            }
        }
    }

    /** Plans behind the guard: whatever goes wrong with one schedule, the others go on. */
    private void plan(String id, Entry e, long now) {
        ctx.corrupt().guard(ctx.paths().schedule(id), e.version, () -> planNow(id, e, now));
    }

    private void planNow(String id, Entry e, long now) {
        if (!active.getAsBoolean()
                || e.schedule == null
                || e.busy
                || e.version <= e.lostAtVersion) {
            return;
        }
        SchedulePlanner.Decision d =
                SchedulePlanner.plan(e.schedule, e.cron, now, Schedule.MISFIRE_GRACE_MS);
        e.wakeAtMs = d.wakeAtMs();
        wake.wakeAt(d.wakeAtMs(), now);
        if (!d.writes()) {
            return;
        }
        if (SchedulePlanner.needsOverlapCheck(e.schedule, d, e.endedTaskId)) {
            checkOverlap(id, e, d);
        } else {
            act(id, e, d);
        }
    }

    /** One status read: a last task not ended turns the fire into a skip. */
    private void checkOverlap(String id, Entry e, SchedulePlanner.Decision d) {
        String last = e.schedule.lastTaskId();
        int version = e.version;
        e.busy = true;
        ctx.store()
                .status(last)
                .whenCompleteAsync(
                        (status, error) -> {
                            e.busy = false;
                            if (!active.getAsBoolean() || entries.get(id) != e) {
                                return;
                            }
                            if (error != null) {
                                retryLater(e, "read the status of " + last, error);
                            } else if (e.version != version) {
                                plan(id, e, System.currentTimeMillis()); // redefined meanwhile
                            } else {
                                boolean running =
                                        status.map(Versioned::value)
                                                .map(s -> !s.state().isTerminal())
                                                .orElse(false);
                                e.endedTaskId = running ? null : last;
                                if (running) {
                                    LOG.debug(
                                            "schedule {} skips its tick: its last task {} has not ended",
                                            id,
                                            last);
                                }
                                act(id, e, running ? d.skipped() : d);
                            }
                        },
                        ctx.executor());
    }

    /** Fires or skips, in one fenced multi with the schedule's new record. */
    private void act(String id, Entry e, SchedulePlanner.Decision d) {
        Schedule before = e.schedule;
        String taskId = d.fires() ? Schedule.taskIdFor(id, d.fireTickMs()) : null;
        Schedule next = before.handled(d.handledTickMs(), taskId);
        List<CuratorOp> ops = new ArrayList<>();
        try {
            if (d.fires()) {
                TaskSpec spec =
                        before.taskFor(d.fireTickMs())
                                .withSubmitStamp(
                                        System.currentTimeMillis(), seq++ % PendingKey.MAX_SEQ + 1);
                ops.addAll(transitions.submit(spec, DroverJson.encode(spec)).ops());
            }
            ops.add(
                    ctx.op()
                            .setData()
                            .withVersion(e.version)
                            .forPath(ctx.paths().schedule(id), DroverJson.encode(next)));
        } catch (Exception ex) {
            throw new IllegalStateException("cannot build the fire of schedule " + id, ex);
        }
        if (d.late()) {
            LOG.info(
                    "schedule {} missed ticks up to {} ({}): {}",
                    id,
                    java.time.Instant.ofEpochMilli(d.handledTickMs()),
                    before.misfire(),
                    taskId == null ? "skipped" : "fires " + taskId);
        }
        write(id, e, ops, next, d.handledTickMs(), taskId);
    }

    private void write(
            String id, Entry e, List<CuratorOp> ops, Schedule next, long tickMs, String taskId) {
        int version = e.version;
        e.busy = true;
        ctx.writer()
                .submit(ops)
                .whenCompleteAsync(
                        (r, error) -> {
                            e.busy = false;
                            if (!active.getAsBoolean() || entries.get(id) != e) {
                                return;
                            }
                            if (error == null) {
                                LOG.debug("schedule {} handled tick {}: {}", id, tickMs, taskId);
                                if (e.version == version) {
                                    e.schedule = next; // the watch brings the same, later
                                    e.version = version + 1;
                                }
                                plan(id, e, System.currentTimeMillis());
                            } else {
                                failed(id, e, version, tickMs, taskId, error);
                            }
                        },
                        ctx.executor());
    }

    private void failed(
            String id, Entry e, int version, long tickMs, String taskId, Throwable error) {
        if (ctx.writer().lost()) {
            return; // the term is over: the next leader plans from what ZooKeeper holds
        }
        Throwable cause = ZooKeeperCalls.unwrap(error);
        if (cause instanceof KeeperException.BadVersionException
                || cause instanceof KeeperException.NoNodeException) {
            // redefined, paused or deleted meanwhile: plan again from the version the watch brings
            e.lostAtVersion = version;
            plan(id, e, System.currentTimeMillis());
        } else if (cause instanceof KeeperException.NodeExistsException && taskId != null) {
            // the tick's task exists (a schedule deleted and defined again under the same id):
            // record the tick as fired by it rather than fire it again
            LOG.warn(
                    "schedule {}: task {} exists already; recording the tick as fired", id, taskId);
            try {
                write(
                        id,
                        e,
                        List.of(
                                ctx.op()
                                        .setData()
                                        .withVersion(version)
                                        .forPath(
                                                ctx.paths().schedule(id),
                                                DroverJson.encode(
                                                        e.schedule.handled(tickMs, taskId)))),
                        e.schedule.handled(tickMs, taskId),
                        tickMs,
                        taskId);
            } catch (Exception ex) {
                throw new IllegalStateException("cannot build the write of schedule " + id, ex);
            }
        } else {
            retryLater(e, "fire schedule " + id, cause);
        }
    }

    /** Plans the schedule again in a second, on the one timer. */
    private void retryLater(Entry e, String what, Throwable error) {
        LOG.warn("could not {} ({}); trying again in a second", what, error.toString());
        long now = System.currentTimeMillis();
        e.wakeAtMs = now + 1_000;
        wake.wakeAt(e.wakeAtMs, now);
    }
}
