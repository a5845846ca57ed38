package io.drover.server.internal;

import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one ZooKeeper client and the Drover component that uses it (a coordinator or a
 * worker), stopped together and in order: the component first (a worker hands its tasks back, a
 * leader yields), then the session.
 *
 * <p>Stopping happens once, from whichever comes first: Jetty stopping its managed objects, or a
 * JVM shutdown hook of our own. The hook matters for a SIGTERM that arrives while Jetty is still
 * starting: Jetty's own hook only stops a server that has finished starting, and without ours the
 * process would exit with the component running, leaving its work to wait for a session timeout.
 */
public final class ManagedCurator implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedCurator.class);

    private final CuratorFramework client;
    private final String connectString;
    private final long connectWaitMs;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile AutoCloseable component;
    private final Thread shutdownHook = new Thread(this::stopOnce, "drover-shutdown");

    public ManagedCurator(CuratorFramework client, String connectString, long connectWaitMs) {
        this.client = client;
        this.connectString = connectString;
        this.connectWaitMs = connectWaitMs;
    }

    public CuratorFramework client() {
        return client;
    }

    /**
     * The component to close before the session, once it has started; closed at once if stopping
     * has begun.
     */
    public void closeBefore(AutoCloseable startedComponent) {
        this.component = startedComponent;
        if (stopping.get()) {
            try {
                startedComponent
                        .close(); // a SIGTERM came while it was starting; close is idempotent
            } catch (Exception e) {
                LOG.warn("closing {} failed", startedComponent, e);
            }
        }
    }

    @Override
    public void start() throws Exception {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        client.start();
        if (!client.blockUntilConnected((int) connectWaitMs, TimeUnit.MILLISECONDS)) {
            // Jetty does not stop what failed to start: no retrying client and no hook are left
            // behind
            stopOnce();
            throw new IllegalStateException(
                    "cannot reach ZooKeeper at "
                            + connectString
                            + " within "
                            + connectWaitMs
                            + " ms; check zooKeeper.connectString (or DROVER_ZK_CONNECT)");
        }
    }

    @Override
    public void stop() {
        stopOnce();
    }

    /**
     * Closes the component, then the client; a second caller waits (bounded) for the first to
     * finish.
     */
    public void stopOnce() {
        if (!stopping.compareAndSet(false, true)) {
            try {
                stopped.get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("stopping took longer than 60 s", e);
            }
            return;
        }
        try {
            AutoCloseable c = component;
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            LOG.warn("closing {} failed", component, e);
        } finally {
            client.close();
            stopped.complete(null);
            if (Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime()
                            .removeShutdownHook(
                                    shutdownHook); // stopped normally: nothing left for the hook
                } catch (IllegalStateException exiting) {
                    // the JVM is shutting down; the hook finds the work done
                }
            }
        }
    }
}
