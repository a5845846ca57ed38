package io.drover.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drover.cli.client.ClientOptions;
import io.drover.cli.client.ExitCodes;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.store.Layout;
import io.drover.store.LayoutUpgrade;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "layout",
        mixinStandardHelpOptions = true,
        description = {
            "A cluster's ZooKeeper layout (docs/zk-layout.md): layout 1 spreads tasks over 64 buckets",
            "per folder, layout 2 (every cluster this Drover creates) over 256."
        },
        subcommands = {LayoutCommand.Show.class, LayoutCommand.Upgrade.class})
final class LayoutCommand {
    private LayoutCommand() {}

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description =
                    "Prints the cluster's layout and its fullest bucket of statuses and of pending"
                            + " entries (names in one getChildren reply).")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ZooKeeperOptions zooKeeper;

        @Override
        public Integer call() throws Exception {
            DroverPaths paths = zooKeeper.paths();
            try (CuratorFramework client = zooKeeper.connectToCluster()) {
                Layout.adopt(client, paths);
                ObjectNode out = DroverJson.mapper().createObjectNode();
                out.put("layoutVersion", paths.layoutVersion())
                        .put("buckets", paths.buckets(paths.tasks()).size())
                        .put("fullestStatusBucket", fullest(client, paths, paths.statuses()))
                        .put("fullestPendingBucket", fullest(client, paths, paths.pending()));
                try {
                    out.set(
                            "marker",
                            DroverJson.mapper()
                                    .readTree(client.getData().forPath(paths.layoutMarker())));
                } catch (Exception unreadableOrMissing) {
                    out.put("marker", "missing or unreadable: see drover fsck");
                }
                PrintWriter w = spec.commandLine().getOut();
                w.println(out.toPrettyString());
                w.flush();
                return ExitCodes.OK;
            }
        }

        private static int fullest(CuratorFramework client, DroverPaths paths, String root)
                throws Exception {
            int most = 0;
            for (String folder : paths.buckets(root)) {
                Stat stat = client.checkExists().forPath(folder);
                most = Math.max(most, stat == null ? 0 : stat.getNumChildren());
            }
            return most;
        }
    }

    @Command(
            name = "upgrade",
            mixinStandardHelpOptions = true,
            description = {
                "Moves a layout-1 cluster to layout 2 in place; every task, result and assignment keeps",
                "its data and znode version. Stop the cluster's coordinators and workers first, and",
                "anything that submits straight to ZooKeeper: it refuses while any is registered, and",
                "processes refuse to start until it is done. A run that stops half-way is finished by",
                "running it again. Run it as the cluster's administrator."
            },
            footer = {"", "Example:", "  drover layout upgrade --zk zk1:2181 --cluster prod"})
    static final class Upgrade implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ZooKeeperOptions zooKeeper;

        @Option(
                names = {"-o", "--output"},
                description = "Output format: ${COMPLETION-CANDIDATES} (default: table).",
                defaultValue = "table")
        ClientOptions.Format output;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            try (CuratorFramework client = zooKeeper.connectToCluster()) {
                LayoutUpgrade.Report report =
                        LayoutUpgrade.run(
                                client,
                                zooKeeper.cluster,
                                line -> {
                                    if (output == ClientOptions.Format.table) {
                                        w.println(line);
                                        w.flush();
                                    }
                                });
                if (output == ClientOptions.Format.json) {
                    w.println(DroverJson.mapper().valueToTree(report).toPrettyString());
                } else {
                    w.println(
                            "moved "
                                    + report.movedTotal()
                                    + " nodes, "
                                    + report.stayed()
                                    + " stayed in their bucket, in "
                                    + report.tookMs()
                                    + " ms");
                    report.unreadable()
                            .forEach(
                                    p -> w.println("left (no task's name; see drover fsck): " + p));
                    report.quarantined()
                            .forEach(
                                    p ->
                                            w.println(
                                                    "stood at a task's new path, now in quarantine/: "
                                                            + p));
                    report.stuck().forEach(p -> w.println("kept changing, not moved: " + p));
                }
                w.flush();
                return report.done() ? ExitCodes.OK : ExitCodes.FAILED;
            }
        }
    }
}
