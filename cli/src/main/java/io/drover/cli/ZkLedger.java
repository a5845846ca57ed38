package io.drover.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.server.ByteBufferInputStream;
import org.apache.zookeeper.server.ServerCnxn;
import org.apache.zookeeper.server.persistence.FileTxnLog;
import org.apache.zookeeper.server.persistence.TxnLog;
import org.apache.zookeeper.txn.CheckVersionTxn;
import org.apache.zookeeper.txn.CreateTxn;
import org.apache.zookeeper.txn.DeleteTxn;
import org.apache.zookeeper.txn.MultiTxn;
import org.apache.zookeeper.txn.SetDataTxn;
import org.apache.zookeeper.txn.Txn;

/**
 * What a stretch of a bench cost ZooKeeper, read off the embedded server rather than counted by
 * Drover's own code: every write from the server's transaction log (each multi classified as a hop
 * by what it does, each op by verb and folder, with its data bytes), and the requests and
 * notifications of each session from the server's connection counters. Only for the embedded
 * server: an outside ZooKeeper's log is not on this machine.
 */
final class ZkLedger {
    private final EmbeddedZooKeeper zk;
    private final String root;
    private final Map<Long, String> roles;

    /**
     * @param root the cluster's root znode; ops elsewhere are not counted
     * @param roles each session's role (leader, worker, client); others count as "other"
     */
    ZkLedger(EmbeddedZooKeeper zk, String root, Map<Long, String> roles) {
        this.zk = zk;
        this.root = root + "/";
        this.roles = Map.copyOf(roles);
    }

    /** The counters now, to subtract from a later {@link #since} reading. */
    Mark mark() {
        Map<String, long[]> packets = new HashMap<>();
        for (ServerCnxn c : zk.connections()) {
            long[] p = packets.computeIfAbsent(role(c.getSessionId()), r -> new long[2]);
            p[0] += c.getPacketsReceived();
            p[1] += c.getPacketsSent();
        }
        return new Mark(zk.lastZxid(), packets);
    }

    /** Counters at one moment: the last zxid and, per role, requests received and packets sent. */
    record Mark(long zxid, Map<String, long[]> packets) {}

    /**
     * Per-task figures between {@code from} and now, divided by {@code tasks}: by hop, multis and
     * ops ("create status", ...) and bytes written; by role, requests and notifications.
     */
    Map<String, Object> since(Mark from, int tasks) throws IOException {
        Mark to = mark();
        Map<String, Map<String, Double>> hops = new TreeMap<>();
        try (TxnLog.TxnIterator it = new FileTxnLog(zk.logDir()).read(from.zxid() + 1)) {
            while (it.getHeader() != null && it.getHeader().getZxid() <= to.zxid()) {
                if (it.getTxn() instanceof MultiTxn multi) {
                    countMulti(multi.getTxns(), hops);
                } else {
                    countMulti(List.of(single(it.getHeader().getType(), it.getTxn())), hops);
                }
                if (!it.next()) {
                    break;
                }
            }
        }
        Map<String, Object> perTask = new TreeMap<>();
        hops.forEach(
                (hop, counts) -> {
                    Map<String, Double> scaled = new TreeMap<>();
                    counts.forEach((k, v) -> scaled.put(k, Spread.round(v / tasks)));
                    perTask.put(hop, scaled);
                });
        Map<String, Object> sessions = new TreeMap<>();
        to.packets()
                .forEach(
                        (role, now) -> {
                            long[] was = from.packets().getOrDefault(role, new long[2]);
                            long requests = now[0] - was[0];
                            long sent = now[1] - was[1];
                            sessions.put(
                                    role,
                                    Map.of(
                                            "requests",
                                            Spread.round((double) requests / tasks),
                                            "notifications",
                                            Spread.round(
                                                    (double) Math.max(0, sent - requests)
                                                            / tasks)));
                        });
        return Map.of(
                "writesByHop", perTask, "sessionsByRole", sessions, "watchesByRole", watches());
    }

    /**
     * Per role: sessions, watches per session, and the watched paths under the root (a worker's own
     * id shown as {@code <self>}).
     */
    private Map<String, Object> watches() {
        Map<String, Integer> count = new TreeMap<>();
        Map<String, java.util.Set<String>> paths = new TreeMap<>();
        zk.watchesBySession()
                .forEach(
                        (id, watched) -> {
                            String role = role(id);
                            count.merge(role, watched.size(), Integer::sum);
                            for (String w : watched) {
                                paths.computeIfAbsent(role, r -> new java.util.TreeSet<>())
                                        .add(
                                                w.startsWith(root)
                                                        ? w.substring(root.length())
                                                                .replaceAll("worker-\\d+", "<self>")
                                                        : w);
                            }
                        });
        Map<String, Integer> sessionCount = new TreeMap<>();
        roles.values().forEach(role -> sessionCount.merge(role, 1, Integer::sum));
        Map<String, Object> perRole = new TreeMap<>();
        sessionCount.forEach(
                (role, n) ->
                        perRole.put(
                                role,
                                Map.of(
                                        "sessions",
                                        n,
                                        "watchesPerSession",
                                        Spread.round((double) count.getOrDefault(role, 0) / n),
                                        "paths",
                                        paths.getOrDefault(role, java.util.Set.of()))));
        return perRole;
    }

    /** A write outside a multi, in the shape of one op of a multi. */
    private static Txn single(int type, Record txn) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        txn.serialize(BinaryOutputArchive.getArchive(bytes), "txn");
        return new Txn(type, bytes.toByteArray());
    }

    private void countMulti(List<Txn> txns, Map<String, Map<String, Double>> hops)
            throws IOException {
        if (txns.stream().anyMatch(t -> t.getType() == OpCode.error)) {
            // A failed multi: logged, applied not at all. Its ops before the one that failed are
            // logged as the writes they would have been, and the retry writes them again.
            return;
        }
        Map<String, Double> ops = new TreeMap<>();
        double bytes = 0;
        for (Txn t : txns) {
            String verb;
            Record r;
            switch (t.getType()) {
                case OpCode.create, OpCode.create2, OpCode.createContainer -> {
                    verb = "create";
                    r = new CreateTxn();
                }
                case OpCode.delete, OpCode.deleteContainer -> {
                    verb = "delete";
                    r = new DeleteTxn();
                }
                case OpCode.setData -> {
                    verb = "set";
                    r = new SetDataTxn();
                }
                case OpCode.check -> {
                    verb = "check";
                    r = new CheckVersionTxn();
                }
                default -> {
                    continue; // not a write
                }
            }
            ByteBufferInputStream.byteBuffer2Record(ByteBuffer.wrap(t.getData()), r);
            String path = pathOf(r);
            if (!path.startsWith(root)) {
                return;
            }
            String folder = path.substring(root.length()).split("/", 2)[0];
            ops.merge(verb + " " + folder, 1.0, Double::sum);
            bytes += r instanceof CreateTxn c ? c.getData().length : 0;
            bytes += r instanceof SetDataTxn s ? s.getData().length : 0;
        }
        if (ops.containsKey("create claims") || ops.containsKey("delete claims")) {
            splitWorkerMulti(ops, bytes, hops);
            return;
        }
        Map<String, Double> counts = hops.computeIfAbsent(hopOf(ops), h -> new TreeMap<>());
        counts.merge("multis", 1.0, Double::sum);
        counts.merge("bytes", bytes, Double::sum);
        ops.forEach((op, n) -> counts.merge(op, n, Double::sum));
    }

    /**
     * A worker's group commit carries claims and commits in one multi: each claim is a claim node
     * and a status write, the rest is the commits' (bytes are shared out by op count).
     */
    private static void splitWorkerMulti(
            Map<String, Double> ops, double bytes, Map<String, Map<String, Double>> hops) {
        double claims = ops.getOrDefault("create claims", 0.0);
        double total = ops.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> claim = hops.computeIfAbsent("3 claim", h -> new TreeMap<>());
        Map<String, Double> commit = hops.computeIfAbsent("4 commit", h -> new TreeMap<>());
        if (claims > 0) {
            claim.merge("multis", 1.0, Double::sum);
            claim.merge("create claims", claims, Double::sum);
            claim.merge("set status", claims, Double::sum);
            claim.merge("bytes", bytes * 2 * claims / total, Double::sum);
        }
        if (total > 2 * claims) {
            commit.merge("multis", 1.0, Double::sum);
            commit.merge("bytes", bytes * (total - 2 * claims) / total, Double::sum);
            ops.forEach(
                    (op, n) -> {
                        double left =
                                op.equals("create claims")
                                        ? 0
                                        : op.equals("set status") ? n - claims : n;
                        if (left > 0) {
                            commit.merge(op, left, Double::sum);
                        }
                    });
        }
    }

    /** The hop a multi belongs to, by the op that only that hop writes. */
    private static String hopOf(Map<String, Double> ops) {
        if (ops.containsKey("create tasks")) {
            return "1 submit";
        } else if (ops.containsKey("create assignments")) {
            return "2 assign";
        }
        return "5 other";
    }

    private static String pathOf(Record r) {
        if (r instanceof CreateTxn c) {
            return c.getPath();
        } else if (r instanceof DeleteTxn d) {
            return d.getPath();
        } else if (r instanceof SetDataTxn s) {
            return s.getPath();
        }
        return ((CheckVersionTxn) r).getPath();
    }

    private String role(long sessionId) {
        return roles.getOrDefault(sessionId, "other");
    }
}
