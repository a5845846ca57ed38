package io.drover.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.AuthInfo;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * Who a Drover process is to ZooKeeper: the credentials its session presents. A session may hold
 * several identities at once (a worker holds the shared {@code worker} role's and its own), each
 * added with {@code addAuth} when the session starts and again after it is re-established.
 *
 * <ul>
 *   <li>digest: a file holding {@code user:password} (never inline in a config or on a command
 *       line); ZooKeeper stores only {@code user:base64(sha1(user:password))} in ACLs;
 *   <li>SASL (DIGEST-MD5 or Kerberos): a standard JAAS file named by the JVM's {@code
 *       java.security.auth.login.config}; nothing to add here, the ZooKeeper client logs in itself;
 *   <li>x509: the client certificate of a TLS connection ({@link #withTls}).
 * </ul>
 *
 * Immutable.
 */
public record ZooKeeperSecurity(List<AuthInfo> auth, ZooKeeperTls tls) {
    private static final ZooKeeperSecurity NONE = new ZooKeeperSecurity(List.of(), null);

    /**
     * @param tls null for a plain connection
     */
    public ZooKeeperSecurity {
        auth = List.copyOf(auth);
    }

    /** The same credentials over TLS (with x509 authentication, the key store's certificate). */
    public ZooKeeperSecurity withTls(ZooKeeperTls tls) {
        return new ZooKeeperSecurity(auth, java.util.Objects.requireNonNull(tls, "tls"));
    }

    /** No credentials: what an open cluster (no ACL policy) needs. */
    public static ZooKeeperSecurity none() {
        return NONE;
    }

    /**
     * Adds a digest identity read from {@code file} ({@code user:password} on its first line).
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or is malformed
     */
    public ZooKeeperSecurity withDigestFile(Path file) {
        List<AuthInfo> all = new ArrayList<>(auth);
        all.add(new AuthInfo("digest", readDigest(file).getBytes(StandardCharsets.UTF_8)));
        return new ZooKeeperSecurity(all, tls);
    }

    /**
     * The ACL id ({@code digest:user:hash}) that the credentials in {@code file} authenticate as:
     * what an ACL policy lists, so that the password itself never goes into ZooKeeper.
     */
    public static String digestAclId(Path file) {
        try {
            return "digest:" + DigestAuthenticationProvider.generateDigest(readDigest(file));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-1", e);
        }
    }

    private static String readDigest(Path file) {
        String line;
        try {
            line = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("");
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the ZooKeeper credentials file " + file + ": " + e.getMessage(),
                    e);
        }
        line = line.strip();
        int colon = line.indexOf(':');
        if (colon < 1 || colon == line.length() - 1) {
            throw new IllegalArgumentException(
                    "the ZooKeeper credentials file "
                            + file
                            + " must hold user:password on its first line");
        }
        return line;
    }
}
