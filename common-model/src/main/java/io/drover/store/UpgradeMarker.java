package io.drover.store;

import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverException;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The layout marker as {@link LayoutUpgrade} reads and rewrites it: each write at the version last
 * read or written, so that two upgrades at once cannot both go on, and with the fields it does not
 * know carried through. Blocking; one upgrade's thread only.
 */
final class UpgradeMarker {
    /** The field that says an upgrade runs, and to which layout. */
    static final String UPGRADING_TO = "upgradingTo";

    private static final String STARTED_MS = "upgradeStartedMs";

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final Map<String, Object> fields;
    private int version;

    private UpgradeMarker(
            CuratorFramework client, DroverPaths paths, Map<String, Object> fields, int version) {
        this.client = client;
        this.paths = paths;
        this.fields = fields;
        this.version = version;
    }

    static UpgradeMarker read(CuratorFramework client, DroverPaths paths) throws Exception {
        Stat stat = new Stat();
        byte[] data;
        try {
            data = client.getData().storingStatIn(stat).forPath(paths.layoutMarker());
        } catch (KeeperException.NoNodeException none) {
            throw new DroverException(
                    "there is no cluster at " + paths.root() + " (no layout marker)", false);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        try {
            Layout.markerOf(paths, data).forEach((k, v) -> fields.put((String) k, v));
        } catch (CorruptZnodeException e) {
            throw new DroverException(e.getMessage() + "; run drover fsck first", false);
        }
        return new UpgradeMarker(client, paths, fields, stat.getVersion());
    }

    int layoutVersion() {
        return (Integer) fields.get("layoutVersion");
    }

    boolean upgrading() {
        return fields.containsKey(UPGRADING_TO);
    }

    /** Step 1: processes refuse to join from now on. */
    void markUpgrading() throws Exception {
        fields.put(UPGRADING_TO, DroverPaths.LAYOUT_VERSION);
        fields.put(STARTED_MS, System.currentTimeMillis());
        write();
    }

    /** Takes step 1 back: nothing was moved. */
    void unmark() throws Exception {
        fields.remove(UPGRADING_TO);
        fields.remove(STARTED_MS);
        write();
    }

    /** The last step: the cluster is in layout 2. */
    void markLayout2() throws Exception {
        fields.remove(UPGRADING_TO);
        fields.remove(STARTED_MS);
        fields.put("layoutVersion", DroverPaths.LAYOUT_VERSION);
        fields.put("buckets", DroverPaths.BUCKETS);
        write();
    }

    private void write() throws Exception {
        try {
            version =
                    client.setData()
                            .withVersion(version)
                            .forPath(paths.layoutMarker(), DroverJson.encode(fields))
                            .getVersion();
        } catch (KeeperException.BadVersionException e) {
            throw new DroverException(
                    paths.layoutMarker() + " changed under the upgrade: is another one running?",
                    true);
        }
    }
}
