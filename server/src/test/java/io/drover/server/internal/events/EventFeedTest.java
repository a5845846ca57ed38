package io.drover.server.internal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.protocol.CorruptNodes;
import io.drover.testkit.ZooKeeperServerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The feed's release of task events, on a real ZooKeeper. */
class EventFeedTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private static final int TASKS = 5;

    private final List<String> changeFailed = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * A task's first notification reads its status and its spec. A change that lands between those
     * two replies shares the read still out: the answer must then be the newest status, or the
     * stream's last word on the task is a state it has left (once seen in CI as {@code drover
     * submit --wait} waiting forever on tasks that had all succeeded). The feed's client traces
     * every read; the test makes the change the moment the reply to a task's status read is in.
     */
    @Test
    void taskChangedBetweenTheRepliesOfItsFirstReads_theStreamEndsOnItsNewestState()
            throws Exception {
        DroverPaths paths = new DroverPaths(ZK.uniqueCluster());
        CuratorFramework zk = ZK.newClient();
        for (String folder : List.of(paths.statuses(), paths.tasks())) {
            for (String bucket : paths.buckets(folder)) {
                zk.create().creatingParentsIfNeeded().forPath(bucket);
            }
        }
        Map<String, byte[]> changeOnRead = new ConcurrentHashMap<>();
        CuratorFramework feedClient = ZK.newClient();
        feedClient
                .getZookeeperClient()
                .setTracerDriver(
                        new AdvancedTracerDriver() {
                            @Override
                            public void addTrace(OperationTrace trace) {
                                byte[] next =
                                        trace.getPath() == null
                                                ? null
                                                : changeOnRead.remove(trace.getPath());
                                if (next != null) {
                                    // on the feed's event thread, before it sees the reply
                                    setData(zk, trace.getPath(), next);
                                }
                            }

                            @Override
                            public void addEvent(EventTrace trace) {}
                        });
        EventLog log = new EventLog(1_000, 600_000, System::currentTimeMillis);
        try (EventFeed feed =
                new EventFeed(
                        feedClient,
                        paths,
                        log,
                        new CorruptNodes("test"),
                        System::currentTimeMillis)) {
            feed.start();
            // until the feed's watches are set, a canary goes unseen
            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> {
                                createTask(zk, paths, "canary-" + System.nanoTime());
                                return !lastStates(log).isEmpty();
                            });
            // and once this one is out, no read of the feed is left in flight
            String ready = createTask(zk, paths, "canary-ready");
            await().atMost(Duration.ofSeconds(10)).until(() -> lastStates(log).containsKey(ready));

            for (int i = 0; i < TASKS; i++) {
                TaskSpec spec = TaskSpec.builder("noop").id("t-" + i).build();
                changeOnRead.put(
                        paths.status(spec.id()),
                        DroverJson.encode(TaskStatus.pending(spec).assigned("w1", 1, 0)));
                createTask(zk, paths, spec.id());
                // one task at a time, so each one's reads go out alone and are traced by path
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> lastStates(log).containsKey(spec.id()));
            }
            // released in zxid order: once the last canary is out, so is every task's last event
            String last = createTask(zk, paths, "canary-last");
            await().atMost(Duration.ofSeconds(10)).until(() -> lastStates(log).containsKey(last));

            assertThat(changeOnRead).as("every task was changed as it was read").isEmpty();
            assertThat(changeFailed).isEmpty();
            Map<String, String> states = lastStates(log);
            for (int i = 0; i < TASKS; i++) {
                assertThat(states.get("t-" + i)).as("last event of t-" + i).isEqualTo("ASSIGNED");
            }
        }
    }

    private void setData(CuratorFramework zk, String path, byte[] data) {
        try {
            zk.setData().forPath(path, data);
        } catch (Exception e) {
            changeFailed.add(path + ": " + e); // thrown here, it would stall the feed's reader
        }
    }

    private static String createTask(CuratorFramework zk, DroverPaths paths, String id)
            throws Exception {
        TaskSpec spec = TaskSpec.builder("noop").id(id).build();
        zk.transaction()
                .forOperations(
                        zk.transactionOp()
                                .create()
                                .forPath(paths.task(id), DroverJson.encode(spec)),
                        zk.transactionOp()
                                .create()
                                .forPath(
                                        paths.status(id),
                                        DroverJson.encode(TaskStatus.pending(spec))));
        return id;
    }

    /** The state in each task's last event so far. */
    private static Map<String, String> lastStates(EventLog log) throws Exception {
        Map<String, String> states = new HashMap<>();
        for (FeedEvent e : log.read(0, Integer.MAX_VALUE).events()) {
            if ("task".equals(e.kind())) {
                JsonNode task = DroverJson.mapper().readTree(e.json()).get("task");
                states.put(task.get("id").asText(), task.get("state").asText());
            }
        }
        return states;
    }
}
