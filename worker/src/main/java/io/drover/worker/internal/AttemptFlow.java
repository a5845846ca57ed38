package io.drover.worker.internal;

import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.protocol.runtime.MultiBatcher;
import io.drover.store.TaskStore;
import io.drover.worker.TaskEvent;
import io.drover.worker.TaskHandler;
import io.drover.worker.WorkerConfig;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs attempts: turns ZooKeeper answers, handler returns, timers and requests into {@link
 * AttemptEvent}s, asks the pure {@link AttemptMachine} what follows, and carries out its {@link
 * AttemptAction}s. Every event is applied on the worker's event thread; ZooKeeper callbacks, timers
 * and handler threads only hand results over to it.
 */
final class AttemptFlow {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptFlow.class);

    /** What the flow needs from the worker. Called on the event thread. */
    interface Host {
        long sessionId();

        void emit(TaskEvent.Kind kind, Attempt a, TaskState state, String detail);

        /** The attempt is over on this worker (its slot may still be held by a running handler). */
        void finished(Attempt a, TaskEvent.Kind kind, TaskState state, String detail);

        /** The attempt's handler has returned: its pool thread is free. */
        void handlerExited(Attempt a);
    }

    private final WorkerConfig config;
    private final Map<String, TaskHandler> handlers;
    private final AttemptOps ops;
    private final MultiBatcher batcher;
    private final TaskStore store;
    private final Executor events;
    private final ExecutorService exec;
    private final ScheduledExecutorService timer;
    private final Host host;
    private final Claims claims;
    private final ProgressWriter progress;
    private final CommitWriter commits;
    private final DependencyResults dependencies;

    AttemptFlow(WorkerContext ctx, Map<String, TaskHandler> handlers, Host host) {
        this.config = ctx.config();
        this.handlers = handlers;
        this.store = ctx.store();
        this.events = ctx.events();
        this.exec = ctx.threads().exec();
        this.timer = ctx.timer();
        this.ops = new AttemptOps(ctx.client(), ctx.paths());
        this.batcher = ctx.batcher();
        this.claims =
                new Claims(
                        ctx.client(), ctx.paths(), ops, batcher, store, events, config.id(), host);
        this.progress =
                new ProgressWriter(config, ops, batcher, store, events, timer, this::abandon);
        this.commits =
                new CommitWriter(
                        config,
                        ops,
                        batcher,
                        store,
                        events,
                        claims,
                        (a, kind, state, detail) ->
                                fire(a, new AttemptEvent.CommitSettled(kind, state, detail)));
        this.host = host;
        this.dependencies = new DependencyResults(ctx.client(), ctx.paths());
    }

    // ---- requests (event thread)
    // ------------------------------------------------------------------

    /**
     * Sends the claim multi, reading the spec meanwhile, and then the results of the tasks it
     * depends on, if any: a failed read of those gives the task back, as a failed spec read does.
     */
    void claim(Attempt a) {
        CompletableFuture<Optional<TaskSpec>> spec =
                a.assignment.spec() != null
                        ? CompletableFuture.completedFuture(Optional.of(a.assignment.spec()))
                        : store.spec(a.taskId());
        a.specRead =
                spec.thenCompose(
                        s ->
                                s.isEmpty()
                                        ? CompletableFuture.completedFuture(s)
                                        : dependencies
                                                .read(s.get())
                                                .thenApply(
                                                        results -> {
                                                            a.dependencyResults = results;
                                                            return s;
                                                        }));
        // Completes on the event thread: no second hop.
        claims.claim(a).thenAccept(outcome -> fire(a, outcome));
    }

    /**
     * The leader flagged the assignment: stop the handler; commit CANCELLED when it stops, or at
     * the grace deadline.
     */
    void requestCancel(Attempt a) {
        fire(a, new AttemptEvent.CancelRequested(config.cancelGrace().toMillis()));
    }

    /** The attempt is no longer ours. */
    void abandon(Attempt a, String why, boolean sessionLost) {
        if (a.state instanceof AttemptState.Claiming || a.state.holdsClaim()) {
            LOG.info(
                    "worker {} abandons task {} attempt {}: {}",
                    config.id(),
                    a.taskId(),
                    a.attempt(),
                    why);
        }
        fire(a, new AttemptEvent.Abandon(why, sessionLost));
    }

    void abandon(Attempt a, String why) {
        abandon(a, why, false);
    }

    /**
     * Worker stopping: stop the handler and give the attempt back; null if there is nothing to give
     * back.
     */
    CompletableFuture<?> handBack(Attempt a) {
        if (a.state instanceof AttemptState.Done) {
            return null;
        }
        fire(a, new AttemptEvent.HandBackRequested());
        return a.settled;
    }

    /**
     * Any thread: the handler reported progress; the writer coalesces reports into one write per
     * interval.
     */
    void progressReported(Attempt a) {
        progress.reported(a);
    }

    // ---- the machine
    // ------------------------------------------------------------------------------

    /** Event thread only. */
    private void fire(Attempt a, AttemptEvent event) {
        AttemptMachine.Step step = AttemptMachine.on(a.state, event);
        a.state = step.next();
        for (AttemptAction action : step.actions()) {
            apply(a, action);
        }
    }

    private void apply(Attempt a, AttemptAction action) {
        if (action instanceof AttemptAction.ReadSpec) {
            a.specRead.whenCompleteAsync((spec, e) -> fire(a, specRead(a, spec, e)), events);
        } else if (action instanceof AttemptAction.EmitStarted) {
            host.emit(TaskEvent.Kind.STARTED, a, null, null);
        } else if (action instanceof AttemptAction.StartHandler start) {
            startHandler(a, start.timeoutMs());
        } else if (action instanceof AttemptAction.StopHandler) {
            a.stop();
        } else if (action instanceof AttemptAction.ArmCancelGrace grace) {
            a.cancelDeadline =
                    later(a, new AttemptEvent.CancelGraceExpired(grace.graceMs()), grace.graceMs());
        } else if (action instanceof AttemptAction.CancelTimers) {
            a.cancelTimers();
        } else if (action instanceof AttemptAction.Commit commit) {
            a.statusWrite.whenCompleteAsync(
                    (x, e) -> commits.write(a, commit.outcome()),
                    events); // after any progress write
        } else if (action instanceof AttemptAction.HandBack) {
            // after any progress write in flight, whose version the hand-back builds on
            a.statusWrite
                    .thenCombine(a.specRead, (x, spec) -> spec)
                    .handle((spec, e) -> spec)
                    .thenComposeAsync(spec -> claims.release(a, spec), events)
                    .whenCompleteAsync(
                            (failure, e) -> fire(a, new AttemptEvent.HandBackSettled(failure)),
                            events);
        } else if (action instanceof AttemptAction.DropClaim) {
            claims.dropClaimIfOurs(a);
        } else if (action instanceof AttemptAction.Finish f) {
            host.finished(a, f.kind(), f.state(), f.detail());
        } else if (action instanceof AttemptAction.HandlerExited) {
            host.handlerExited(a);
        }
    }

    // ---- run
    // --------------------------------------------------------------------------------------

    private AttemptEvent specRead(Attempt a, Optional<TaskSpec> spec, Throwable readError) {
        if (readError != null) {
            // Transient (a connection problem): the machine gives the task back rather than fail it
            // for good.
            String why = ZooKeeperCalls.unwrap(readError).toString();
            LOG.warn(
                    "worker {} cannot read the spec of task {}: {}; giving it back",
                    config.id(),
                    a.taskId(),
                    why);
            return new AttemptEvent.SpecUnreadable(why);
        }
        if (spec.isEmpty()) {
            return new AttemptEvent.SpecRead("task spec is missing", 0);
        }
        a.spec = spec.get();
        if (!handlers.containsKey(a.handlerType())) {
            return new AttemptEvent.SpecRead(
                    "worker " + config.id() + " has no handler for type " + a.handlerType(), 0);
        }
        return new AttemptEvent.SpecRead(null, a.spec.timeoutMs());
    }

    private void startHandler(Attempt a, long timeoutMs) {
        if (timeoutMs > 0) {
            a.timeout = later(a, new AttemptEvent.TimedOut(timeoutMs), timeoutMs);
        }
        TaskHandler handler = handlers.get(a.handlerType());
        a.handlerFuture =
                exec.submit(
                        () -> {
                            Outcome done = Outcome.ofHandler(handler, a);
                            events.execute(() -> fire(a, new AttemptEvent.HandlerReturned(done)));
                        });
    }

    private java.util.concurrent.ScheduledFuture<?> later(
            Attempt a, AttemptEvent event, long delayMs) {
        return timer.schedule(
                () -> events.execute(() -> fire(a, event)), delayMs, TimeUnit.MILLISECONDS);
    }
}
