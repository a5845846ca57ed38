package io.drover.worker.internal;

import io.drover.model.DroverPaths;
import io.drover.store.Layout;
import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.Executor;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker does after a reconnect: it trusts nothing it remembers. Its folders are made sure of
 * (after a long absence the leader may have swept them), and an attempt runs on only if its claim
 * is still this session's.
 */
final class Reconnection {
    private static final Logger LOG = LoggerFactory.getLogger(Reconnection.class);

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final String workerId;
    private final Executor events;
    private final AttemptFlow flow;
    private final ItemAgent items;

    /** @param items null without an item handler */
    Reconnection(CuratorFramework client, DroverPaths paths, String workerId, Executor events, AttemptFlow flow, ItemAgent items) {
        this.client = client;
        this.paths = paths;
        this.workerId = workerId;
        this.events = events;
        this.flow = flow;
        this.items = items;
    }

    /** Blocking; not on the events thread. */
    void ensureFolders() {
        try {
            Layout.ensureWorkerFolder(client, paths.assignments(workerId));
            if (items != null) {
                items.ensureFolders();
            }
        } catch (Exception e) {
            LOG.warn("worker {} could not make sure of its folders: {}; the next reconnect tries again", workerId, e.toString());
        }
    }

    /** Asks ZooKeeper who owns each running attempt's claim; the answers arrive on the events thread. */
    void reverifyClaims(Collection<Attempt> attempts, long session) {
        for (Attempt a : new ArrayList<>(attempts)) {
            if (a.phase != Attempt.Phase.RUNNING) {
                continue;
            }
            try {
                client.checkExists().inBackground((c, e) -> events.execute(() -> {
                    Stat stat = e.getStat();
                    boolean answered = e.getResultCode() == KeeperException.Code.OK.intValue()
                            || e.getResultCode() == KeeperException.Code.NONODE.intValue();
                    if (answered && (stat == null || stat.getEphemeralOwner() != session)) {
                        flow.abandon(a, "claim no longer held after reconnect", true);
                    } // no answer: the next reconnect checks again
                })).forPath(paths.claim(a.taskId()));
            } catch (Exception e) {
                flow.abandon(a, "cannot verify claim after reconnect: " + e);
            }
        }
    }
}
