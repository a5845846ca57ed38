package io.drover.server.internal;

import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;

/** Starts the server's one ZooKeeper client before anything that uses it and closes it after. */
public final class ManagedCurator implements Managed {
    private final CuratorFramework client;
    private final String connectString;
    private final long connectWaitMs;

    public ManagedCurator(CuratorFramework client, String connectString, long connectWaitMs) {
        this.client = client;
        this.connectString = connectString;
        this.connectWaitMs = connectWaitMs;
    }

    @Override
    public void start() throws Exception {
        client.start();
        if (!client.blockUntilConnected((int) connectWaitMs, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("cannot reach ZooKeeper at " + connectString + " within " + connectWaitMs
                    + " ms; check zooKeeper.connectString (or DROVER_ZK_CONNECT)");
        }
    }

    @Override
    public void stop() {
        client.close();
    }
}
