package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.api.ServerSentEvent;
import io.drover.server.testing.EventTap;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EventsApiTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private static final List<String> ORDER =
            List.of("PENDING", "ASSIGNED", "RUNNING", "SUCCEEDED");

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private static List<String> submit(ServerHarness s, int n, String task) throws Exception {
        String body =
                "{\"tasks\":[" + String.join(",", java.util.Collections.nCopies(n, task)) + "]}";
        JsonNode r = DroverJson.mapper().readTree(s.post("/v1/tasks/batch", body).body());
        List<String> ids = new ArrayList<>();
        r.get("results").forEach(x -> ids.add(x.get("id").asText()));
        assertThat(ids).hasSize(n);
        return ids;
    }

    private static void awaitSucceeded(EventTap tap, List<String> ids) {
        await().atMost(EventTap.patience())
                .until(
                        () ->
                                ids.stream()
                                        .allMatch(
                                                id ->
                                                        tap.taskEvents(id).stream()
                                                                .anyMatch(
                                                                        t ->
                                                                                t.get("state")
                                                                                        .asText()
                                                                                        .equals(
                                                                                                "SUCCEEDED"))));
    }

    /** Each task's states never go backwards, and ids never decrease along the stream. */
    private static void assertOrdered(EventTap tap, List<String> ids) {
        long last = 0;
        for (ServerSentEvent e : tap.events()) {
            if (e.id() != null && !e.name().equals("ready")) {
                long zxid = Long.parseUnsignedLong(e.id(), 16);
                assertThat(zxid).as("ids along the stream").isGreaterThanOrEqualTo(last);
                last = zxid;
            }
        }
        for (String id : ids) {
            List<Integer> states =
                    tap.taskEvents(id).stream()
                            .map(t -> ORDER.indexOf(t.get("state").asText()))
                            .toList();
            assertThat(states).as("states of " + id).isSorted().doesNotContain(-1);
        }
    }

    @Test
    void tasksRunToTheEnd_streamShowsTheirStatesInOrder() throws Exception {
        ServerHarness server = keep(ServerHarness.start(ZK.connectString(), ZK.uniqueCluster()));
        server.startWorker("w1", 4);
        EventTap tap = keep(EventTap.open(server.url(), "/v1/events?kinds=task", null));
        assertThat(tap.ready().name()).isEqualTo("ready");

        List<String> ids = submit(server, 50, "{\"type\":\"noop\"}");

        awaitSucceeded(tap, ids);
        assertOrdered(tap, ids);
        JsonNode done = tap.taskEvents(ids.get(0)).stream().reduce((a, b) -> b).orElseThrow();
        assertThat(done.get("worker").asText()).isEqualTo("w1");
        assertThat(tap.events()).noneMatch(e -> e.name().equals("gap"));
    }

    @Test
    void coordinatorStopsMidStream_clientResumesOnAnotherWithLastEventId_missingNothing()
            throws Exception {
        String cluster = ZK.uniqueCluster();
        ServerHarness a = keep(ServerHarness.start(ZK.connectString(), cluster));
        ServerHarness b = keep(ServerHarness.standby(ZK.connectString(), cluster, "coordinator-b"));
        b.startWorker("w1", 4);
        EventTap first = keep(EventTap.open(a.url(), "/v1/events?kinds=task", null));
        first.ready();
        List<String> before = submit(a, 20, "{\"type\":\"noop\"}");
        awaitSucceeded(first, before);
        String lastId = first.lastId();

        first.close();
        a.close(); // coordinator a stops: b leads, and the client moves to b
        List<String> after = submit(b, 30, "{\"type\":\"noop\"}");
        EventTap resumed = keep(EventTap.open(b.url(), "/v1/events?kinds=task", lastId));

        awaitSucceeded(resumed, after);
        assertOrdered(resumed, after);
        assertThat(resumed.events()).noneMatch(e -> e.name().equals("gap"));

        // A coordinator that started after those events cannot know them: it says so.
        ServerHarness c = keep(ServerHarness.standby(ZK.connectString(), cluster, "coordinator-c"));
        EventTap late = keep(EventTap.open(c.url(), "/v1/events?kinds=task", lastId));
        await().atMost(EventTap.patience())
                .until(() -> late.events().stream().anyMatch(e -> e.name().equals("gap")));
        assertThat(EventTap.json(late.events().get(1)).get("reason").asText())
                .contains("no longer holds the events after " + lastId);
    }

    @Test
    void filters_deliverOnlyTheTasksAsked() throws Exception {
        ServerHarness server = keep(ServerHarness.start(ZK.connectString(), ZK.uniqueCluster()));
        EventTap tap =
                keep(EventTap.open(server.url(), "/v1/events?types=echo&labels=zone=eu", null));
        tap.ready();

        String wanted =
                submit(server, 1, "{\"type\":\"echo\",\"labels\":{\"zone\":\"eu\"}}").get(0);
        String otherLabel =
                submit(server, 1, "{\"type\":\"echo\",\"labels\":{\"zone\":\"us\"}}").get(0);
        String otherType =
                submit(server, 1, "{\"type\":\"noop\",\"labels\":{\"zone\":\"eu\"}}").get(0);
        String last = submit(server, 1, "{\"type\":\"echo\",\"labels\":{\"zone\":\"eu\"}}").get(0);

        // events come in order: once the last one is here, the others would have been too
        await().atMost(EventTap.patience()).until(() -> !tap.taskEvents(last).isEmpty());
        assertThat(tap.taskEvents(wanted)).isNotEmpty();
        assertThat(tap.taskEvents(wanted).get(0).get("labels").get("zone").asText())
                .isEqualTo("eu");
        assertThat(tap.taskEvents(otherLabel)).isEmpty();
        assertThat(tap.taskEvents(otherType)).isEmpty();
        assertThat(tap.events())
                .noneMatch(e -> e.name().equals("worker") || e.name().equals("leader"));
    }

    @Test
    void badFilter_is400NamingIt() throws Exception {
        ServerHarness server = keep(ServerHarness.start(ZK.connectString(), ZK.uniqueCluster()));
        var r = server.get("/v1/events?kinds=task,gossip");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("kinds").contains("gossip");
        var id = server.get("/v1/events?lastEventId=not-an-id");
        assertThat(id.statusCode()).isEqualTo(400);
        assertThat(id.body()).contains("Last-Event-ID");
    }

    @Test
    void workersJoiningAndLeaving_andLeadership_areEvents() throws Exception {
        String cluster = ZK.uniqueCluster();
        ServerHarness a = keep(ServerHarness.start(ZK.connectString(), cluster));
        ServerHarness b = keep(ServerHarness.standby(ZK.connectString(), cluster, "coordinator-b"));
        EventTap tap = keep(EventTap.open(b.url(), "/v1/events?kinds=worker,leader", null));
        tap.ready();

        var w9 = b.startWorker("w9", 2);
        await().atMost(EventTap.patience())
                .until(() -> workerChanges(tap, "w9").contains("joined"));
        w9.close();
        a.close();

        await().atMost(EventTap.patience())
                .until(() -> tap.events().stream().anyMatch(e -> e.name().equals("leader")));
        await().atMost(EventTap.patience()).until(() -> workerChanges(tap, "w9").contains("left"));
        assertThat(workerChanges(tap, "w9")).startsWith("joined").endsWith("left");
        JsonNode leader =
                EventTap.json(
                        tap.events().stream()
                                .filter(e -> e.name().equals("leader"))
                                .findFirst()
                                .orElseThrow());
        assertThat(leader.get("leader").asText()).isEqualTo("coordinator-b");
        assertThat(leader.get("epoch").asLong()).isGreaterThan(1);
    }

    private static List<String> workerChanges(EventTap tap, String id) {
        return tap.events().stream()
                .filter(e -> e.name().equals("worker"))
                .map(EventTap::json)
                .filter(j -> j.get("workerId").asText().equals(id))
                .map(j -> j.get("change").asText())
                .toList();
    }

    @Test
    void moreSubscribers_costZooKeeperNoMoreWatches() throws Exception {
        ServerHarness server = keep(ServerHarness.start(ZK.connectString(), ZK.uniqueCluster()));
        keep(EventTap.open(server.url(), "/v1/events", null)).ready();
        long withOne = ZK.watchCount();
        for (int i = 0; i < 9; i++) {
            keep(EventTap.open(server.url(), "/v1/events?kinds=task", null)).ready();
        }
        assertThat(server.app().eventStreams().subscribers()).isEqualTo(10);
        // nine more subscribers would be nine more watches (at least) if each cost one; the
        // coordinator itself may add one meanwhile, so allow for that but not for a watch each
        assertThat(ZK.watchCount()).isBetween(withOne, withOne + 2);
    }
}
