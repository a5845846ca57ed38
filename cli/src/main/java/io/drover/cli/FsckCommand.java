package io.drover.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drover.cli.client.ExitCodes;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.protocol.Fsck;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "fsck",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a cluster's ZooKeeper tree: lists every node that does not validate (kind, path, what is wrong).",
            "With --quarantine or --delete it also moves such nodes aside or removes them, each only if it has not changed",
            "since the scan. It talks to ZooKeeper directly: run it as the cluster's administrator."
        },
        footer = {
            "",
            "Examples:",
            "  drover fsck --zk zk1:2181",
            "  drover fsck --zk zk1:2181 --quarantine    (kept under /drover/<cluster>/quarantine/)",
            "  drover fsck --zk zk1:2181 --delete -o json",
            "",
            "Exit code: 0 when nothing is wrong (or everything found was repaired), 1 when findings remain."
        })
final class FsckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ZooKeeperOptions zooKeeper;

    @ArgGroup(exclusive = true)
    RepairMode repair;

    static final class RepairMode {
        @Option(
                names = "--quarantine",
                required = true,
                description = "Move what does not validate to quarantine/<run>/, data kept.")
        boolean quarantine;

        @Option(names = "--delete", required = true, description = "Delete what does not validate.")
        boolean delete;
    }

    @Option(
            names = {"-o", "--output"},
            description = "table (default) or json.",
            defaultValue = "table")
    String output;

    @Override
    public Integer call() throws Exception {
        if (!output.equals("table") && !output.equals("json")) {
            throw new IllegalArgumentException("--output must be table or json, was " + output);
        }
        DroverPaths paths = zooKeeper.paths();
        try (CuratorFramework client = zooKeeper.connectToCluster()) {
            Fsck fsck = new Fsck(client, paths);
            List<Fsck.Finding> findings = fsck.scan();
            Fsck.Repair repaired =
                    repair == null || findings.isEmpty()
                            ? null
                            : fsck.repair(
                                    findings,
                                    repair.delete ? Fsck.Mode.DELETE : Fsck.Mode.QUARANTINE);
            print(spec.commandLine().getOut(), findings, repaired);
            boolean clean = findings.isEmpty() || repaired != null && repaired.skipped().isEmpty();
            return clean ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private void print(PrintWriter out, List<Fsck.Finding> findings, Fsck.Repair repaired) {
        String action = repaired == null ? null : repair.delete ? "deleted" : "quarantined";
        if ("json".equals(output)) {
            ObjectNode root = DroverJson.mapper().createObjectNode();
            ArrayNode list = root.putArray("findings");
            for (Fsck.Finding f : findings) {
                ObjectNode n =
                        list.addObject()
                                .put("kind", f.kind().metricName())
                                .put("path", f.path())
                                .put("problem", f.problem());
                if (repaired != null) {
                    n.put(action, repaired.done().contains(f.path()));
                }
            }
            out.println(root.toPrettyString());
        } else if (findings.isEmpty()) {
            out.println("no problems found in " + zooKeeper.cluster);
        } else {
            for (Fsck.Finding f : findings) {
                String done =
                        repaired == null
                                ? ""
                                : repaired.done().contains(f.path())
                                        ? " [" + action + "]"
                                        : f.kind() == io.drover.protocol.ZnodeKind.EPOCH
                                                ? " [left: its version is the fence; the next leader rewrites it]"
                                                : " [changed since the scan: left]";
                out.println(f.kind().label() + "  " + f.path() + "  " + f.problem() + done);
            }
            out.println(
                    findings.size()
                            + " problem"
                            + (findings.size() == 1 ? "" : "s")
                            + " found"
                            + (repaired == null
                                    ? "; run again with --quarantine or --delete to repair"
                                    : ""));
        }
        out.flush();
    }
}
