package io.drover.cli.client;

import io.drover.model.DroverPaths;
import io.drover.protocol.CoordinatorInfo;
import io.drover.protocol.Znodes;
import io.drover.protocol.ZooKeeperClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;

/**
 * Finds the coordinators' API addresses in ZooKeeper: every coordinator announces its {@code
 * api.publicUrl} in its ephemeral {@code coordinators/<id>} node, which anyone may read. One short
 * session, two reads per coordinator, closed before the command talks to the API. Blocking.
 */
final class Discovery {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final java.util.regex.Pattern CONNECT =
            java.util.regex.Pattern.compile(
                    "[A-Za-z0-9.\\[\\]:-]+:\\d{1,5}(,[A-Za-z0-9.\\[\\]:-]+:\\d{1,5})*(/\\S*)?");

    private Discovery() {}

    /** The API URLs announced, in random order so that CLIs spread over coordinators. */
    static List<String> apiUrls(String zk, String cluster) {
        if (!CONNECT.matcher(zk).matches()) {
            // checked here: Curator would log a stack trace for it and then time out
            throw new ApiException(
                    "--zk (or DROVER_ZK) must be HOST:PORT[,HOST:PORT...], was '" + zk + "'",
                    ExitCodes.USAGE,
                    false,
                    null);
        }
        DroverPaths paths = new DroverPaths(cluster);
        CuratorFramework c = ZooKeeperClients.newClient(zk, PATIENCE, PATIENCE);
        try {
            c.start();
            if (!c.blockUntilConnected((int) PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw unavailable("cannot reach ZooKeeper at " + zk + " to find a coordinator");
            }
            if (c.checkExists().forPath(paths.root()) == null) {
                throw new ApiException(
                        "ZooKeeper at "
                                + zk
                                + " has no Drover cluster named '"
                                + cluster
                                + "' (set --cluster or DROVER_CLUSTER)",
                        ExitCodes.USAGE,
                        false,
                        null);
            }
            List<String> urls = new ArrayList<>();
            for (String id : c.getChildren().forPath(paths.coordinators())) {
                String path = paths.coordinator(id);
                try {
                    CoordinatorInfo info = Znodes.coordinator(path, c.getData().forPath(path));
                    if (!info.apiUrl().isBlank()) {
                        urls.add(info.apiUrl());
                    }
                } catch (org.apache.zookeeper.KeeperException.NoNodeException gone) {
                    // it stopped while we listed: not a candidate
                } catch (io.drover.model.CorruptZnodeException bad) {
                    // a node nobody can use: the others may do
                }
            }
            if (urls.isEmpty()) {
                throw unavailable(
                        "no coordinator of cluster '"
                                + cluster
                                + "' announces an API URL in ZooKeeper at "
                                + zk
                                + " (is one running, with api.publicUrl set?)");
            }
            Collections.shuffle(urls);
            return urls;
        } catch (ApiException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while looking for a coordinator");
        } catch (Exception e) {
            throw unavailable(
                    "cannot read the coordinators from ZooKeeper at " + zk + ": " + e.getMessage());
        } finally {
            c.close();
        }
    }

    private static ApiException unavailable(String message) {
        return new ApiException(message, ExitCodes.UNAVAILABLE, true, null);
    }
}
