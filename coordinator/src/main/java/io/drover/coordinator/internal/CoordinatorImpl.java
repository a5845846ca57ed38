package io.drover.coordinator.internal;

import io.drover.coordinator.Coordinator;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorListener;
import io.drover.coordinator.LeaderStats;
import io.drover.election.LeaderElection;
import io.drover.election.LeadershipListener;
import io.drover.election.LeadershipTerm;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.protocol.CoordinatorInfo;
import io.drover.protocol.CorruptNodes;
import io.drover.store.Layout;
import io.drover.store.StoreOptions;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Announces the coordinator, runs the election, and runs one {@link LeaderScheduler} per term. */
public final class CoordinatorImpl implements Coordinator, LeadershipListener {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorImpl.class);

    private enum State {
        LATENT,
        STARTED,
        CLOSED
    }

    private final CoordinatorConfig config;
    private final CuratorFramework client;
    private final boolean ownsClient;
    private final DroverPaths paths;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final LeaderElection election;
    private final CorruptNodes corrupt;
    private final RecentPending recent;
    private final LeaderEvents events = new LeaderEvents();
    private volatile LeaderScheduler scheduler;
    private volatile CompletableFuture<Long> nextReady = new CompletableFuture<>();
    private PersistentNode announcement;

    public CoordinatorImpl(CoordinatorConfig config, CuratorFramework client, boolean ownsClient) {
        this.config = config;
        this.client = client;
        this.ownsClient = ownsClient;
        this.paths = new DroverPaths(config.cluster());
        this.corrupt = new CorruptNodes("coordinator " + config.id());
        this.recent = new RecentPending(client, paths);
        this.election =
                LeaderElection.create(
                        client, paths.leaderLatch(), paths.leaderEpoch(), config.id(), this);
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException(
                    "coordinator " + config.id() + " already started or closed");
        }
        try {
            if (ownsClient) {
                client.start();
            }
            if (!client.blockUntilConnected(
                    (int) StoreOptions.ZK_CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        "coordinator "
                                + config.id()
                                + " could not connect to ZooKeeper within "
                                + StoreOptions.ZK_CALL_TIMEOUT.toSeconds()
                                + " s");
            }
            Layout.ensure(client, paths);
            announcement =
                    new PersistentNode(
                            client,
                            CreateMode.EPHEMERAL,
                            false,
                            paths.coordinator(config.id()),
                            DroverJson.encode(
                                    new CoordinatorInfo(
                                            config.id(),
                                            config.apiUrl(),
                                            System.currentTimeMillis())));
            announcement.start();
            recent.start(); // before the election: whatever it wins, it wins with this memory
            election.start();
            LOG.info("coordinator {} started", config.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException(
                    "interrupted while starting coordinator " + config.id(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public String id() {
        return config.id();
    }

    @Override
    public boolean isLeaderReady() {
        LeaderScheduler s = scheduler;
        return s != null && s.settled().isDone() && election.currentTerm().isPresent();
    }

    @Override
    public OptionalLong leaderEpoch() {
        return election.currentTerm()
                .map(t -> OptionalLong.of(t.epoch()))
                .orElse(OptionalLong.empty());
    }

    @Override
    public CompletableFuture<Long> whenLeaderReady() {
        LeaderScheduler s = scheduler;
        return s != null && s.settled().isDone() && election.currentTerm().isPresent()
                ? s.settled()
                : nextReady;
    }

    @Override
    public CorruptNodes corruptNodes() {
        return corrupt;
    }

    @Override
    public Optional<LeaderStats> leaderStats() {
        LeaderScheduler s = scheduler;
        return isLeaderReady() && s != null ? Optional.ofNullable(s.stats()) : Optional.empty();
    }

    @Override
    public void addListener(CoordinatorListener listener) {
        events.add(listener);
    }

    @Override
    public void termStarted(LeadershipTerm term) {
        LeaderScheduler s =
                new LeaderScheduler(
                        client, paths, config, term, corrupt, events, recent::newestFirst);
        // Whoever waits for readiness waits across terms that end before they are ready.
        s.settled()
                .thenAccept(
                        epoch -> {
                            CompletableFuture<Long> waiting = nextReady;
                            nextReady = new CompletableFuture<>();
                            waiting.complete(epoch);
                            events.leadershipStarted(epoch); // on the leader's thread
                        });
        scheduler = s;
        s.start();
    }

    @Override
    public void termEnded(LeadershipTerm term, String reason) {
        LeaderScheduler s = scheduler;
        scheduler = null;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        // ends the term (closing the scheduler) and leaves the latch: a standby takes over now
        election.close();
        recent.close();
        if (announcement != null) {
            try {
                announcement.close();
            } catch (Exception e) {
                LOG.debug("closing announcement", e);
            }
        }
        if (ownsClient) {
            client.close();
        }
        LOG.info("coordinator {} stopped", config.id());
    }
}
