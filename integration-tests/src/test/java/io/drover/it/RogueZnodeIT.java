package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.protocol.Fsck;
import io.drover.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Hand-written and rogue znodes of every kind, planted one after another into one running cluster
 * on a real ZooKeeper (as {@code BadInputTest} does for HTTP). After each: a new task still runs to
 * SUCCEEDED, no process stopped, and the bad node is reported by whoever reads it (or repaired by
 * the leader). Then, with every bad node still there, the leader stops and a new coordinator takes
 * office and dispatches; {@code fsck} lists every bad node that is left.
 */
class RogueZnodeIT extends ClusterIT {
    private final AtomicInteger tasks = new AtomicInteger();

    /**
     * Bad nodes and the data version they were planted at: one still at that version must be listed
     * by fsck.
     */
    private final Map<String, Integer> planted = new java.util.LinkedHashMap<>();

    private CuratorFramework zk;
    private DroverPaths paths;
    private DroverClient client;
    private Coordinator leader;
    private Worker worker;

    @TestFactory
    List<DynamicTest> everyKindOfBadNode_clusterKeepsRunning_thenANewLeaderTakesOffice() {
        zk = ZK.newClient();
        client = cluster.client();
        paths = client.store().paths();
        leader = cluster.coordinator("c1");
        worker = cluster.worker("w1", 2, Map.of("echo", ctx -> ctx.payload()), null);
        List<DynamicTest> steps = new ArrayList<>();
        for (RogueZnodes.Case c : new RogueZnodes(zk, paths, client).cases()) {
            steps.add(DynamicTest.dynamicTest(c.name(), () -> plantAndCheck(c)));
        }
        steps.add(
                DynamicTest.dynamicTest(
                        "leader stops: the next one takes office with every bad node there",
                        this::failover));
        return steps;
    }

    private void plantAndCheck(RogueZnodes.Case c) throws Exception {
        List<String> bad = c.plant().plant();
        for (String path : bad) {
            org.apache.zookeeper.data.Stat stat = zk.checkExists().forPath(path);
            if (stat != null) {
                planted.put(path, stat.getVersion());
            }
        }
        runsATask();
        for (String path : bad) {
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(
                            () ->
                                    assertThat(reportedOrRepaired(c.reader(), path))
                                            .as(
                                                    "%s is reported by the %s, or repaired",
                                                    path, c.reader())
                                            .isTrue());
        }
        await().atMost(Duration.ofSeconds(20)).until(leader::isLeaderReady);
        assertThat(worker.state()).isNotNull();
    }

    /**
     * Reported by the reader; or deleted or rewritten since it was planted (the leader repairs
     * some).
     */
    private boolean reportedOrRepaired(RogueZnodes.Reader reader, String path) throws Exception {
        org.apache.zookeeper.data.Stat now = zk.checkExists().forPath(path);
        if (now == null || planted.containsKey(path) && now.getVersion() != planted.get(path)) {
            return true;
        }
        return switch (reader) {
            case LEADER -> leader.corruptNodes().current().containsKey(path);
            case WORKER -> worker.corruptNodes().current().containsKey(path);
            case FSCK -> fsckPaths().contains(path);
        };
    }

    private Set<String> fsckPaths() throws Exception {
        return new Fsck(zk, paths)
                .scan().stream().map(Fsck.Finding::path).collect(Collectors.toSet());
    }

    private void runsATask() throws Exception {
        String id = "probe-" + tasks.incrementAndGet();
        client.submit(TaskSpec.builder("echo").id(id).payloadJson("[" + tasks.get() + "]").build())
                .get(10, TimeUnit.SECONDS);
        assertThat(client.await(id, Duration.ofSeconds(30)).state()).isEqualTo(TaskState.SUCCEEDED);
    }

    private void failover() throws Exception {
        leader.close();
        leader = cluster.coordinator("c2");
        leader.whenLeaderReady().get(30, TimeUnit.SECONDS);
        runsATask();
        Set<String> listed = fsckPaths();
        for (Map.Entry<String, Integer> e : planted.entrySet()) {
            org.apache.zookeeper.data.Stat now = zk.checkExists().forPath(e.getKey());
            if (now != null
                    && now.getVersion() == e.getValue()) { // else Drover rewrote or removed it
                assertThat(listed).as("fsck lists %s", e.getKey()).contains(e.getKey());
            }
        }
    }
}
