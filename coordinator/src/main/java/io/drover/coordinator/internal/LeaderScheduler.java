package io.drover.coordinator.internal;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.election.LeadershipTerm;
import io.drover.model.DroverPaths;
import io.drover.protocol.CorruptNodes;
import io.drover.protocol.runtime.NamedThreads;
import io.drover.store.StoreOptions;
import io.drover.store.TaskStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's work for one term: rebuild the view, then dispatch pending tasks, recover the
 * attempts of lost workers, carry out cancellations, keep circuit breakers and rate limits ({@link
 * TypeRules}), fail fast what an open breaker fails ({@link FailFast}), release or cancel waiting
 * tasks ({@link Dependencies}), fan out and gather broadcasts ({@link Broadcasts}), fire schedules
 * ({@link ScheduleRunner}), delete old terminal tasks, and place load/drop items ({@link
 * ItemBalancer}). Everything runs on one thread ({@code drover-leader-<id>-e<epoch>}); watches and
 * write acknowledgements reach it in ZooKeeper order. A term never outlives a connection problem
 * (the election ends it on SUSPENDED), so within a term no event is missed.
 */
final class LeaderScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderScheduler.class);

    /** Workers cache and type policies: the pending folder is not needed to dispatch. */
    private static final int VIEW_SOURCES = 2;

    private final CuratorFramework client;
    private final CoordinatorConfig config;
    private final LeadershipTerm term;
    private final ScheduledExecutorService executor;
    private final TermWriter writer;
    private final TaskStore store;
    private final ClusterView view = new ClusterView();
    private final PendingIndex pending = new PendingIndex();
    private final Dispatcher dispatcher;
    private final Recovery recovery;
    private final TypeRules typeRules;
    private final CompletableFuture<Long> ready = new CompletableFuture<>();
    private final CompletableFuture<Long> settled;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final WorkerWatch workerWatch;
    private final PendingWatch pendingWatch;
    private final AssignmentWatch assignments;
    private final Assigner assigner;
    private final Housekeeping housekeeping;
    private final ItemBalancer items;
    private final CorruptNodes corrupt;
    private final WorkerRoster roster;
    private final WakeTimer wake;
    private final PendingAudit audit;
    private final FailFast failFast;
    private final StatsTaker stats;
    private final ScheduleRunner schedules;
    private final Broadcasts broadcasts;
    private final Dependencies dependencies;
    private final TermStartup startup = new TermStartup(VIEW_SOURCES);
    private boolean passQueued;

    LeaderScheduler(
            CuratorFramework client,
            DroverPaths paths,
            CoordinatorConfig config,
            LeadershipTerm term,
            CorruptNodes corrupt,
            LeaderEvents events,
            Supplier<List<String>> readFirst) {
        this.client = client;
        this.config = config;
        this.term = term;
        this.corrupt = corrupt;
        this.executor =
                Executors.newSingleThreadScheduledExecutor(
                        new NamedThreads("drover-leader-" + config.id() + "-e" + term.epoch()));
        this.writer = new TermWriter(client, term, config.maxOpsPerMulti());
        this.store =
                new TaskStore(
                        client,
                        paths,
                        StoreOptions.defaults(),
                        new io.drover.protocol.runtime.BatchedReader(client, 100));
        this.dispatcher = new Dispatcher(config.strategy());
        EndedTally ended = new EndedTally(store, executor);
        LeaderContext ctx =
                new LeaderContext(
                        client, paths, term, writer, store, view, executor, corrupt, events, ended);
        this.stats = new StatsTaker(ctx, pending);
        this.wake = new WakeTimer(executor, System::currentTimeMillis, this::requestPass);
        this.audit =
                new PendingAudit(
                        ctx,
                        entry -> {
                            pending.add(entry, System.currentTimeMillis());
                            requestPass();
                        });
        this.failFast = new FailFast(ctx, pending, audit);
        this.broadcasts = new Broadcasts(ctx, pending, audit, this::requestPass);
        this.roster =
                new WorkerRoster(
                        ctx,
                        corrupt,
                        this::workersChanged,
                        at -> wake.wakeAt(at, System.currentTimeMillis()));
        this.recovery =
                new Recovery(
                        ctx,
                        this::requestPass,
                        w ->
                                roster.unresponsive(
                                        w,
                                        2 * config.assignmentTimeout().toMillis(),
                                        System.currentTimeMillis()),
                        config.assignmentTimeout().toMillis());
        this.typeRules = new TypeRules(ctx, this::isReady, this::requestPass);
        this.schedules = new ScheduleRunner(ctx, executor, this::isReady);
        this.pendingWatch =
                new PendingWatch(
                        ctx,
                        pending,
                        this::isReady,
                        this::requestPass,
                        () -> started(startup.pendingRead()),
                        readFirst);
        pendingWatch.cancellations().onGathering(broadcasts::cancelRequested);
        this.assignments =
                new AssignmentWatch(
                        ctx,
                        (taskId, gone) -> {
                            typeRules.assignmentEnded(taskId, gone);
                            requestPass();
                        });
        this.assigner =
                new Assigner(
                        ctx, typeRules, roster, audit, pendingWatch::refresh, this::requestPass);
        this.items = new ItemBalancer(ctx, config.items(), executor, this::isReady);
        this.workerWatch =
                new WorkerWatch(ctx, roster, recovery, this::workersChanged, this::isReady);
        this.dependencies = new Dependencies(ctx, pending, pendingWatch.cancellations(), config);
        this.housekeeping =
                new Housekeeping(
                        ctx,
                        config,
                        executor,
                        recovery,
                        pendingWatch.cancellations(),
                        items,
                        new LiveCountPublisher(
                                ctx,
                                typeRules::liveTaskCaps,
                                typeRules::rateLimited,
                                pending,
                                dependencies.tally()),
                        stats,
                        dependencies,
                        broadcasts::needed,
                        this::isReady);
        this.settled =
                ready.thenCompose(
                        epoch ->
                                CompletableFuture.allOf(
                                                pendingWatch.cancelsWatched(),
                                                dependencies.watching(),
                                                schedules.watching())
                                        .thenApply(v -> epoch));
    }

    /**
     * Completes with the epoch once ready and what starts on readiness (cancellations,
     * dependencies, schedules) watches its folder too: the leader acts on everything then.
     */
    CompletableFuture<Long> settled() {
        return settled;
    }

    /** The stats last taken in this term, or null; any thread. */
    io.drover.coordinator.LeaderStats stats() {
        return stats.latest();
    }

    void start() {
        assignments.start();
        workerWatch.start(() -> started(startup.viewSourceRead()));
        typeRules.start(() -> started(startup.viewSourceRead()));
        pendingWatch.start();
        items.start();
        housekeeping.start();
        ready.thenRunAsync(schedules::start, executor); // fires ticks only while ready
    }

    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        housekeeping.close(); // first: it only stops a thread, and nothing may skip it
        Closing.quietly(workerWatch);
        typeRules.close();
        pendingWatch.close();
        Closing.quietly(assignments);
        Closing.quietly(items);
        Closing.quietly(schedules);
        dependencies.close();
        writer.close();
        store.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void started(TermStartup.Step step) {
        if (step.dispatch()) {
            try {
                assignments.rebuild();
                typeRules.restore();
                broadcasts.rebuild();
            } catch (Exception e) {
                LOG.warn(
                        "leader {} could not rebuild its view in epoch {}: {}; yielding",
                        config.id(),
                        term.epoch(),
                        e.toString());
                writer.giveUp(e);
                return;
            }
            requestPass(); // what it has read of the pending folder so far
        }
        if (!step.ready()) {
            return;
        }
        LOG.info(
                "leader {} ready in epoch {}: {} workers, {} pending ({} held as keys), {} assigned",
                config.id(),
                term.epoch(),
                view.workers().size(),
                pending.size(),
                pending.coldCount(),
                view.allAssignments().values().stream().mapToInt(Set::size).sum());
        ready.complete(term.epoch());
        pendingWatch.startCancels();
        dependencies.start();
        housekeeping.reconcile();
        requestPass();
        items.requestPass();
    }

    private boolean isReady() {
        return ready.isDone() && term.isActive() && !closed.get();
    }

    /** A worker announced, changed or left: capacity may have changed. */
    private void workersChanged() {
        requestPass();
        items.requestPass();
    }

    private void requestPass() {
        if (!passQueued && !closed.get()) {
            passQueued = true;
            executor.execute(this::pass);
        }
    }

    private void pass() {
        passQueued = false;
        if (!startup.dispatching() || !term.isActive() || closed.get()) {
            return;
        }
        boolean whole = isReady(); // else the pending folder is still being read (TermStartup)
        long now = System.currentTimeMillis();
        long nextDelayed = pending.promote(now);
        if (whole) {
            failFast.pass(typeRules.failingFast(now), now);
        }
        for (Dispatcher.Choice choice : dispatcher.pass(pending, view, typeRules.gate(now))) {
            typeRules.dispatched(choice.entry().type(), choice.entry().taskId());
            assigner.assign(choice.entry(), choice.workerId(), choice.runAs(), now);
        }
        pendingWatch.warm(); // the heads this pass and the last ones drained
        typeRules.passEnded(pending.countByType(), now);
        wake.wakeAt(nextDelayed, now);
        if (whole) {
            wake.wakeAt(broadcasts.pass(now), now); // fan-outs, orphaned responses, deadlines
        }
        wake.wakeAt(typeRules.nextWakeMs(now), now);
        wake.wakeAt(
                view.nextSuspensionEndMs(now), now); // a cooled-down worker takes work again then
    }
}
