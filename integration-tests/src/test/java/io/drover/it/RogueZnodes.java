package io.drover.it;

import io.drover.client.DroverClient;
import io.drover.model.Assignment;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.PendingEntry;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.model.WorkerInfo;
import io.drover.model.WorkerState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;

/**
 * The bad nodes of {@link RogueZnodeIT}: what an operator's hand, a bug or a rogue process could
 * leave in ZooKeeper.
 */
final class RogueZnodes {
    /** Who must report the node (unless Drover repairs it). */
    enum Reader {
        LEADER,
        WORKER,
        FSCK
    }

    interface Plant {
        /** Writes the bad nodes and returns their paths. */
        List<String> plant() throws Exception;
    }

    record Case(String name, Reader reader, Plant plant) {}

    private static final byte[] GARBAGE = "{not json".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

    private final CuratorFramework zk;
    private final DroverPaths paths;
    private final DroverClient client;

    RogueZnodes(CuratorFramework zk, DroverPaths paths, DroverClient client) {
        this.zk = zk;
        this.paths = paths;
        this.client = client;
    }

    List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // the dispatch index
        c.add(
                new Case(
                        "pending entry of garbage bytes",
                        Reader.LEADER,
                        () -> put(paths.pending() + "/00/0999999-0000000000000-bogus", GARBAGE)));
        c.add(
                new Case(
                        "pending entry {}",
                        Reader.LEADER,
                        () -> put(paths.pending() + "/01/empty", EMPTY_OBJECT)));
        c.add(
                new Case(
                        "pending entry with wrong JSON types",
                        Reader.LEADER,
                        () ->
                                put(
                                        paths.pending() + "/02/types",
                                        json("{\"priority\":\"high\",\"status\":[1,2]}"))));
        c.add(
                new Case(
                        "pending entry without its status field",
                        Reader.LEADER,
                        () ->
                                put(
                                        paths.pending() + "/03/nostatus",
                                        json("{\"v\":1,\"priority\":0,\"statusVersion\":0}"))));
        c.add(
                new Case(
                        "pending entry in the wrong bucket",
                        Reader.LEADER,
                        () -> {
                            PendingEntry e = entry("misplaced", "echo");
                            String wrong =
                                    DroverPaths.bucketOf("misplaced").equals("00") ? "01" : "00";
                            return put(
                                    paths.pending() + "/" + wrong + "/" + e.key(),
                                    DroverJson.encode(e));
                        }));
        c.add(
                new Case(
                        "pending entry whose name is not its key",
                        Reader.LEADER,
                        () -> {
                            PendingEntry e = entry("renamed", "echo");
                            return put(
                                    paths.pending()
                                            + "/"
                                            + DroverPaths.bucketOf("renamed")
                                            + "/not-the-key",
                                    DroverJson.encode(e));
                        }));
        c.add(
                new Case(
                        "pending entry of a task that does not exist (the leader must not spin on it)",
                        Reader.LEADER,
                        () -> {
                            PendingEntry e = entry("phantom", "echo");
                            return put(paths.pending(e), DroverJson.encode(e));
                        }));
        c.add(
                new Case(
                        "two 900 KB pending entries in one bucket",
                        Reader.LEADER,
                        () ->
                                concat(
                                        put(paths.pending() + "/04/big-1", big()),
                                        put(paths.pending() + "/04/big-2", big()))));
        c.add(new Case("two thousand garbage children in one bucket", Reader.LEADER, this::flood));
        c.add(
                new Case(
                        "a node in an unknown bucket folder",
                        Reader.FSCK,
                        () -> {
                            put(paths.pending() + "/zz/x", EMPTY_OBJECT);
                            return List.of(paths.pending() + "/zz");
                        }));
        // workers
        c.add(
                new Case(
                        "worker announcement of garbage",
                        Reader.LEADER,
                        () -> eph(paths.worker("garbage-worker"), GARBAGE)));
        c.add(
                new Case(
                        "worker announcement {}",
                        Reader.LEADER,
                        () -> eph(paths.worker("empty-worker"), EMPTY_OBJECT)));
        c.add(
                new Case(
                        "ghost worker (its data names another id), then gone",
                        Reader.LEADER,
                        () -> {
                            List<String> p =
                                    eph(
                                            paths.worker("x-ghost-name"),
                                            DroverJson.encode(worker("ghost", 8, 1)));
                            zk.create()
                                    .creatingParentsIfNeeded()
                                    .forPath(paths.assignments("ghost"));
                            zk.delete().forPath(p.get(0));
                            return p;
                        }));
        c.add(
                new Case(
                        "folderless worker",
                        Reader.LEADER,
                        () ->
                                eph(
                                        paths.worker("folderless"),
                                        DroverJson.encode(worker("folderless", 64, 1)))));
        c.add(
                new Case(
                        "worker of absurd capacity",
                        Reader.LEADER,
                        () -> {
                            zk.create().forPath(paths.assignments("greedy"));
                            return eph(
                                    paths.worker("greedy"),
                                    DroverJson.encode(worker("greedy", 2_000_000_000, 1)));
                        }));
        c.add(
                new Case(
                        "worker of an unknown format version",
                        Reader.LEADER,
                        () -> {
                            zk.create().forPath(paths.assignments("future"));
                            return eph(
                                    paths.worker("future"),
                                    DroverJson.encode(worker("future", 4, 99)));
                        }));
        c.add(
                new Case(
                        "worker whose name is not an id",
                        Reader.LEADER,
                        () -> eph(paths.worker("_bad"), DroverJson.encode(worker("_bad", 4, 1)))));
        c.add(
                new Case(
                        "worker with a capacity of the wrong type",
                        Reader.LEADER,
                        () ->
                                eph(
                                        paths.worker("stringly"),
                                        json(
                                                "{\"v\":1,\"id\":\"stringly\",\"capacity\":\"lots\",\"taskTypes\":[\"echo\"]}"))));
        // assignments and claims
        c.add(
                new Case(
                        "assignment {} named _x in a live worker's folder",
                        Reader.LEADER,
                        () -> put(paths.assignment("w1", "_x"), EMPTY_OBJECT)));
        c.add(
                new Case(
                        "assignment of garbage for a worker that does not exist",
                        Reader.FSCK,
                        () -> put(paths.assignment("nobody", "t-nobody"), GARBAGE)));
        c.add(
                new Case(
                        "well-formed assignment of a task that does not exist",
                        Reader.WORKER,
                        () -> {
                            TaskSpec spec =
                                    TaskSpec.builder("echo")
                                            .id("unborn")
                                            .build()
                                            .withSubmittedAtMs(1);
                            TaskStatus s =
                                    TaskStatus.pending(spec)
                                            .assigned("w1", 1, System.currentTimeMillis());
                            return put(
                                    paths.assignment("w1", "unborn"),
                                    DroverJson.encode(new Assignment(1, s, 1, spec)));
                        }));
        c.add(
                new Case(
                        "900 KB assignment in a live worker's folder",
                        Reader.WORKER,
                        () -> put(paths.assignment("w1", "huge"), big())));
        c.add(
                new Case(
                        "claim for nothing",
                        Reader.FSCK,
                        () -> put(paths.claim("no-such-task"), GARBAGE)));
        // requests and policies
        c.add(
                new Case(
                        "cancel request whose name is not an id",
                        Reader.LEADER,
                        () -> put(paths.cancel("_cancel"), EMPTY_OBJECT)));
        c.add(
                new Case(
                        "cancel request of a task that does not exist",
                        Reader.LEADER,
                        () -> put(paths.cancel("never-was"), new byte[0])));
        c.add(
                new Case(
                        "drain request whose name is not an id",
                        Reader.FSCK,
                        () -> put(paths.drain("_drain"), new byte[0])));
        c.add(
                new Case(
                        "type policy out of range for a type in use",
                        Reader.LEADER,
                        () -> put(paths.type("echo"), json("{\"maxConcurrent\":-5}"))));
        c.add(
                new Case(
                        "breaker state of garbage",
                        Reader.FSCK,
                        () -> put(paths.breaker("echo"), GARBAGE)));
        c.add(
                new Case(
                        "broadcast gathering of garbage",
                        Reader.FSCK,
                        () -> put(paths.broadcast("ghost-broadcast"), GARBAGE)));
        // items
        c.add(
                new Case(
                        "item whose name is not an id",
                        Reader.LEADER,
                        () -> put(paths.item("_item"), EMPTY_OBJECT)));
        c.add(
                new Case(
                        "item {}",
                        Reader.LEADER,
                        () -> put(paths.item("empty-item"), EMPTY_OBJECT)));
        c.add(
                new Case(
                        "load command of garbage",
                        Reader.LEADER,
                        () -> put(paths.loadCommand("w1", "some-item"), GARBAGE)));
        c.add(
                new Case(
                        "served node of garbage for a worker that does not exist",
                        Reader.LEADER,
                        () -> put(paths.servedItem("ghost", "some-item"), GARBAGE)));
        // tasks, statuses and the rest of the tree
        c.add(
                new Case(
                        "status and spec of garbage",
                        Reader.FSCK,
                        () -> {
                            client.submit(TaskSpec.builder("nobody").id("victim").build())
                                    .get(10, TimeUnit.SECONDS);
                            zk.setData().forPath(paths.status("victim"), GARBAGE);
                            zk.setData().forPath(paths.task("victim"), EMPTY_OBJECT);
                            return List.of(paths.status("victim"), paths.task("victim"));
                        }));
        c.add(
                new Case(
                        "retention entry with a bad name",
                        Reader.FSCK,
                        () -> put(paths.done() + "/00/garbage", new byte[0])));
        c.add(
                new Case(
                        "node in an unknown folder",
                        Reader.FSCK,
                        () -> {
                            put(paths.root() + "/mystery/a", GARBAGE);
                            return List.of(paths.root() + "/mystery");
                        }));
        c.add(
                new Case(
                        "coordinator announcement of garbage",
                        Reader.FSCK,
                        () -> eph(paths.coordinator("ghost-coordinator"), GARBAGE)));
        c.add(
                new Case(
                        "layout marker of garbage",
                        Reader.FSCK,
                        () -> {
                            zk.setData().forPath(paths.layoutMarker(), GARBAGE);
                            return List.of(paths.layoutMarker());
                        }));
        c.add(
                new Case(
                        "leader epoch overwritten",
                        Reader.FSCK,
                        () -> {
                            zk.setData().forPath(paths.leaderEpoch(), GARBAGE);
                            return List.of(paths.leaderEpoch());
                        }));
        return c;
    }

    private List<String> flood() throws Exception {
        String bucket = paths.pending() + "/05";
        int n = 2_000;
        CountDownLatch created = new CountDownLatch(n);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String p = bucket + "/flood-" + i;
            out.add(p);
            zk.create().inBackground((cl, e) -> created.countDown()).forPath(p, EMPTY_OBJECT);
        }
        if (!created.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("flood not created");
        }
        return List.of(out.get(0), out.get(n / 2), out.get(n - 1));
    }

    private PendingEntry entry(String id, String type) {
        TaskSpec spec =
                TaskSpec.builder(type).id(id).build().withSubmittedAtMs(System.currentTimeMillis());
        return PendingEntry.of(spec, TaskStatus.pending(spec), 0);
    }

    private static WorkerInfo worker(String id, int capacity, int formatVersion) {
        return new WorkerInfo(
                formatVersion,
                id,
                capacity,
                List.of("echo"),
                Map.of(),
                WorkerState.ACTIVE,
                "rogue",
                "localhost",
                System.currentTimeMillis(),
                false);
    }

    private static byte[] big() {
        byte[] b = new byte[900 * 1024];
        Arrays.fill(b, (byte) ' ');
        b[0] = '{';
        b[b.length - 1] = '}';
        return b;
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> put(String path, byte[] data) throws Exception {
        zk.create().creatingParentsIfNeeded().forPath(path, data);
        return List.of(path);
    }

    private List<String> eph(String path, byte[] data) throws Exception {
        zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, data);
        return List.of(path);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> out = new ArrayList<>();
        for (List<String> l : lists) {
            out.addAll(l);
        }
        return out;
    }
}
