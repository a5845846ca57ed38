package io.drover.worker.internal;

import io.drover.model.DroverPaths;
import io.drover.store.Layout;
import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one place for Curator connection states. Suspended: no new claims (running handlers
 * may still commit if the session survives). Lost: every attempt is abandoned, since the session's
 * claims and served nodes are gone. Reconnected: it trusts nothing it remembers; its folders are
 * made sure of (after a long absence the leader may have swept them), held items are announced
 * again in a new session, and an attempt runs on only if its claim is still this session's. State
 * changes arrive on the worker's event thread.
 */
final class WorkerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerConnection.class);

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final String workerId;
    private final Executor events;
    private final AttemptFlow flow;
    private final ItemAgent items;
    private final Slots slots;
    private final Executor timer;
    private final LongSupplier sessionId;
    private volatile boolean connected = true;

    /**
     * @param items null without an item handler
     */
    WorkerConnection(WorkerContext ctx, AttemptFlow flow, Slots slots, ItemAgent items) {
        this.client = ctx.client();
        this.paths = ctx.paths();
        this.workerId = ctx.workerId();
        this.events = ctx.events();
        this.timer = ctx.timer();
        this.flow = flow;
        this.slots = slots;
        this.items = items;
        this.sessionId = ctx.sessionId();
    }

    /** Connected as far as the last state change says; any thread. */
    boolean connected() {
        return connected;
    }

    /** Event thread. */
    void onConnectionState(ConnectionState s) {
        switch (s) {
            // stop claiming; running handlers may still commit if the session survives
            case SUSPENDED -> connected = false;
            case LOST -> {
                connected = false;
                if (items != null) {
                    items.sessionLost();
                }
                // The session is gone and with it our claims: every commit would be rejected.
                slots.running().forEach(a -> flow.abandon(a, "ZooKeeper session lost", true));
            }
            case RECONNECTED -> {
                connected = true;
                timer.execute(this::ensureFolders);
                if (items != null) {
                    items.reconnected();
                }
                reverifyClaims(slots.running(), sessionId.getAsLong());
                slots.tryStart();
            }
            case CONNECTED, READ_ONLY -> connected = s == ConnectionState.CONNECTED;
        }
    }

    /** Blocking; not on the events thread. */
    private void ensureFolders() {
        try {
            Layout.ensureWorkerFolder(client, paths.assignments(workerId));
            if (items != null) {
                items.ensureFolders();
            }
        } catch (Exception e) {
            LOG.warn(
                    "worker {} could not make sure of its folders: {}; the next reconnect tries again",
                    workerId,
                    e.toString());
        }
    }

    /**
     * Asks ZooKeeper who owns each running attempt's claim; the answers arrive on the events
     * thread.
     */
    private void reverifyClaims(Collection<Attempt> attempts, long session) {
        for (Attempt a : new ArrayList<>(attempts)) {
            if (!a.state.holdsClaim()) {
                continue;
            }
            try {
                client.checkExists()
                        .inBackground(
                                (c, e) ->
                                        events.execute(
                                                () -> {
                                                    Stat stat = e.getStat();
                                                    boolean answered =
                                                            e.getResultCode()
                                                                            == KeeperException.Code
                                                                                    .OK
                                                                                    .intValue()
                                                                    || e.getResultCode()
                                                                            == KeeperException.Code
                                                                                    .NONODE
                                                                                    .intValue();
                                                    if (answered
                                                            && (stat == null
                                                                    || stat.getEphemeralOwner()
                                                                            != session)) {
                                                        flow.abandon(
                                                                a,
                                                                "claim no longer held after reconnect",
                                                                true);
                                                    } // no answer: the next reconnect checks again
                                                }))
                        .forPath(paths.claim(a.taskId()));
            } catch (Exception e) {
                flow.abandon(a, "cannot verify claim after reconnect: " + e);
            }
        }
    }
}
