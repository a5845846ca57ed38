package io.drover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.InvalidTaskException;
import io.drover.model.PreconditionFailedException;
import io.drover.model.Schedule;
import io.drover.model.ScheduleNotFoundException;
import io.drover.model.TaskSpec;
import io.drover.testkit.ZooKeeperServerExtension;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Schedules in ZooKeeper as the API and the Java client write them: every write carries what the
 * leader recorded, and a revision (not the node's version, which the leader moves) is what {@code
 * If-Match} checks.
 */
class ScheduleStoreTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private CuratorFramework zk;
    private DroverPaths paths;
    private ScheduleStore store;

    @BeforeEach
    void setUp() {
        zk = ZK.newClient();
        paths = new DroverPaths(ZK.uniqueCluster());
        Layout.ensure(zk, paths);
        store = new ScheduleStore(zk, paths, StoreOptions.DEFAULT_MAX_TASK_BYTES);
    }

    private static Schedule hourly(String id, String type) {
        return Schedule.define(id, "@hourly", null, TaskSpec.builder(type).build(), null, null);
    }

    /** What a leader does when it fires a tick, minus the task: the record, at its version. */
    private void leaderFires(String id, long tickMs) throws Exception {
        org.apache.zookeeper.data.Stat stat = new org.apache.zookeeper.data.Stat();
        byte[] data = zk.getData().storingStatIn(stat).forPath(paths.schedule(id));
        Schedule s = io.drover.protocol.Znodes.schedule(paths.schedule(id), data);
        zk.setData()
                .withVersion(stat.getVersion())
                .forPath(
                        paths.schedule(id),
                        DroverJson.encode(s.handled(tickMs, Schedule.taskIdFor(id, tickMs))));
    }

    @Test
    void putCreatesThenRedefines_keepingWhatTheLeaderFired_andIfMatchSurvivesTheLeadersWrites()
            throws Exception {
        ScheduleStore.PutResult created = store.put(hourly("reports", "report"), null, true);
        assertThat(created.created()).isTrue();
        assertThat(created.schedule().revision()).isEqualTo(1);
        assertThat(created.schedule().sinceMs()).isPositive();

        leaderFires("reports", 3_600_000);
        ScheduleStore.PutResult again = store.put(hourly("reports", "export"), "\"1\"", false);

        assertThat(again.created()).isFalse();
        Schedule now = store.get("reports").orElseThrow();
        assertThat(now.revision()).isEqualTo(2);
        assertThat(now.task().type()).isEqualTo("export");
        assertThat(now.lastTaskId()).isEqualTo("reports:19700101T010000Z");
        assertThat(now.lastTickMs()).isEqualTo(3_600_000);
    }

    @Test
    void conditions_staleRevision_existingOnCreateOnly_missingOnIfMatch_are412s() {
        store.put(hourly("c", "t"), null, false);
        store.put(hourly("c", "t"), "1", false);

        assertThatThrownBy(() -> store.put(hourly("c", "t"), "W/\"1\"", false))
                .isInstanceOfSatisfying(
                        PreconditionFailedException.class,
                        e -> assertThat(e.header()).isEqualTo("If-Match"))
                .hasMessageContaining("is at revision 2, not 1");
        assertThatThrownBy(() -> store.put(hourly("c", "t"), null, true))
                .isInstanceOfSatisfying(
                        PreconditionFailedException.class,
                        e -> assertThat(e.header()).isEqualTo("If-None-Match"));
        assertThatThrownBy(() -> store.put(hourly("none", "t"), "*", false))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> store.delete("c", "1"))
                .isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> store.put(hourly("c", "t"), "latest", false))
                .isInstanceOfSatisfying(
                        InvalidTaskException.class,
                        e -> assertThat(e.field()).isEqualTo("If-Match"));
        assertThat(store.delete("c", "2")).isTrue();
        assertThat(store.delete("c", null)).isFalse();
    }

    @Test
    void pauseAndResume_areIdempotent_andResumingFiresOnlyTicksFromThen() throws Exception {
        store.put(hourly("p", "t"), null, false);
        long since = store.get("p").orElseThrow().sinceMs();

        Schedule paused = store.pause("p");
        assertThat(paused.paused()).isTrue();
        assertThat(store.pause("p").revision()).as("already paused").isEqualTo(2);
        Schedule resumed = store.resume("p");

        assertThat(resumed.paused()).isFalse();
        assertThat(resumed.revision()).isEqualTo(3);
        assertThat(resumed.sinceMs()).isGreaterThanOrEqualTo(since);
        assertThat(store.resume("p").revision()).isEqualTo(3);
        assertThatThrownBy(() -> store.pause("nope"))
                .isInstanceOf(ScheduleNotFoundException.class)
                .hasMessageContaining("no schedule with id nope");
    }

    @Test
    void cronThatNeverFires_orTemplateOverTheCap_isRefusedNamingTheField() {
        Schedule never =
                Schedule.define(
                        "n", "0 0 0 31 2 *", null, TaskSpec.builder("t").build(), null, null);
        assertThatThrownBy(() -> store.put(never, null, false))
                .isInstanceOfSatisfying(
                        InvalidTaskException.class, e -> assertThat(e.field()).isEqualTo("cron"))
                .hasMessageContaining("never fires");

        Schedule big =
                Schedule.define(
                        "big",
                        "@daily",
                        null,
                        TaskSpec.builder("t").payloadJson("\"" + "x".repeat(2_000) + "\"").build(),
                        null,
                        null);
        assertThatThrownBy(() -> new ScheduleStore(zk, paths, 1_024).put(big, null, false))
                .isInstanceOfSatisfying(
                        InvalidTaskException.class, e -> assertThat(e.field()).isEqualTo("task"));
        assertThat(store.list()).isEmpty();
    }

    @Test
    void corruptNode_isListedWithItsProblem_andABlindPutOrDeleteRepairsIt() throws Exception {
        store.put(hourly("b", "t"), null, false);
        zk.create().forPath(paths.schedule("a"), "{not json".getBytes(StandardCharsets.UTF_8));

        var listed = store.list();
        assertThat(listed).extracting(ScheduleStore.Listed::id).containsExactly("a", "b");
        assertThat(listed.get(0).schedule()).isNull();
        assertThat(listed.get(0).error()).isNotBlank();
        assertThat(listed.get(1).schedule().task().type()).isEqualTo("t");

        assertThat(store.put(hourly("a", "fixed"), null, false).created()).isTrue();
        assertThat(store.get("a").orElseThrow().task().type()).isEqualTo("fixed");
        zk.setData().forPath(paths.schedule("b"), "[]".getBytes(StandardCharsets.UTF_8));
        assertThat(store.delete("b", null)).isTrue();
        assertThat(store.list()).extracting(ScheduleStore.Listed::id).containsExactly("a");
    }
}
