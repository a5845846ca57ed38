package io.drover.cli.failover;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sockets a {@link ProcessCluster} opens itself, on loopback: picking free ports for its
 * children and asking a ZooKeeper member its mode. Separate because these talk to the network, not
 * to the child processes, and carry their own rules (which port range is safe, what "down" means).
 */
final class Loopback {
    private Loopback() {}

    /**
     * The mode a member on {@code port} reports to {@code srvr} (leader, follower, standalone), or
     * "down".
     */
    static String zkMode(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1_000);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            int at = answer.indexOf("Mode: ");
            return at < 0 ? "down" : answer.substring(at + 6).split("\\s")[0];
        } catch (IOException e) {
            return "down";
        }
    }

    /**
     * A free port below Linux's ephemeral range (32768 and up): a port from that range could be
     * taken as the local port of some outgoing connection while its ZooKeeper node is down.
     */
    static int freePort() throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 200; i++) {
            int port = 15_000 + random.nextInt(15_000);
            try (ServerSocket s = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port found between 15000 and 30000");
    }
}
