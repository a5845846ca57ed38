package io.drover.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cuttable TCP proxy on loopback, to partition one process from ZooKeeper: point its connect
 * string at {@link #connectString()}. {@link #partition()} silently drops every byte both ways and
 * holds new connections open without forwarding (a network partition as the client sees it: no
 * reset, only silence); {@link #heal()} closes the silenced connections so the client reconnects at
 * once. Lifecycle: {@link #start(String, int)}, then {@link #close()}.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean partitioned = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger threads = new AtomicInteger();

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    public static TcpProxy start(String targetHost, int targetPort) throws IOException {
        TcpProxy proxy = new TcpProxy(targetHost, targetPort);
        proxy.thread("accept", proxy::acceptLoop).start();
        return proxy;
    }

    /** For a connect string {@code host:port} (first server only). */
    public static TcpProxy forConnectString(String connectString) throws IOException {
        String first = connectString.split(",")[0];
        int colon = first.lastIndexOf(':');
        return start(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
    }

    public String connectString() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** From now on nothing gets through, either way, on old or new connections. */
    public void partition() {
        partitioned.set(true);
    }

    /** Ends the partition; silenced connections are closed so the client reconnects at once. */
    public void heal() {
        if (partitioned.compareAndSet(true, false)) {
            sockets.forEach(TcpProxy::closeQuietly);
            sockets.clear();
        }
    }

    public boolean isPartitioned() {
        return partitioned.get();
    }

    private void acceptLoop() {
        while (!closed.get()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
                sockets.add(client);
                sockets.add(upstream);
                thread("up", () -> pump(client, upstream)).start();
                thread("down", () -> pump(upstream, client)).start();
            } catch (IOException e) {
                if (closed.get()) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!partitioned.get()) {
                    out.write(buffer, 0, n);
                    out.flush();
                } // partitioned: the bytes are lost, as on a cut link
            }
        } catch (IOException e) {
            // the other side closed, or heal() closed it
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private Thread thread(String role, Runnable body) {
        Thread t =
                new Thread(
                        body,
                        "drover-proxy-"
                                + server.getLocalPort()
                                + "-"
                                + role
                                + "-"
                                + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(server);
            sockets.forEach(TcpProxy::closeQuietly);
            sockets.clear();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
