package io.drover.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority made with the JDK's {@code keytool} (no other tool needed):
 * PKCS12 key stores signed by it for servers ({@code localhost}, 127.0.0.1) and for clients, and a
 * trust store holding only the CA. Every store has the password {@link #PASSWORD}; the certificates
 * are valid for two days. Each call runs a few {@code keytool} processes (about a second).
 */
public final class TestCertificates {
    public static final String PASSWORD = "drover-test";

    private final Path dir;
    private final Path caStore;
    private final Path caPem;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.caStore = dir.resolve("ca.p12");
        this.caPem = dir.resolve("ca.pem");
    }

    /** Makes the CA in {@code dir}. */
    public static TestCertificates create(Path dir) throws IOException {
        Files.createDirectories(dir);
        TestCertificates c = new TestCertificates(dir);
        c.keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-dname",
                "CN=drover-test-ca",
                "-ext",
                "bc:c",
                "-keystore",
                c.caStore.toString());
        c.keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                c.caStore.toString(),
                "-file",
                c.caPem.toString());
        c.keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                c.caPem.toString(),
                "-keystore",
                c.trustStore().toString());
        return c;
    }

    /** The CA's certificate in PEM (what {@code --cacert} takes). */
    public Path caPem() {
        return caPem;
    }

    /** A PKCS12 trust store holding the CA only. */
    public Path trustStore() {
        return dir.resolve("trust.p12");
    }

    /**
     * A PKCS12 key store with a key and a certificate for {@code cn} signed by the CA, for {@code
     * localhost} and 127.0.0.1 (so it serves as a server's and as a client's). Made once: a later
     * call for the same {@code cn} returns the same store.
     */
    public synchronized Path keyStore(String cn) throws IOException {
        Path store = dir.resolve(cn + ".p12");
        if (Files.exists(store)) {
            return store;
        }
        Path csr = dir.resolve(cn + ".csr");
        Path pem = dir.resolve(cn + ".pem");
        keytool(
                "-genkeypair",
                "-alias",
                "key",
                "-dname",
                "CN=" + cn,
                "-keystore",
                store.toString());
        keytool(
                "-certreq",
                "-alias",
                "key",
                "-keystore",
                store.toString(),
                "-file",
                csr.toString());
        keytool(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                caStore.toString(),
                "-infile",
                csr.toString(),
                "-outfile",
                pem.toString(),
                "-ext",
                "san=dns:localhost,ip:127.0.0.1",
                "-ext",
                "eku=serverAuth,clientAuth");
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                caPem.toString(),
                "-keystore",
                store.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "key",
                "-file",
                pem.toString(),
                "-keystore",
                store.toString());
        return store;
    }

    private void keytool(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        if (args[0].equals("-genkeypair")) {
            cmd.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
        } else if (args[0].equals("-gencert")) {
            cmd.addAll(List.of("-validity", "2"));
        }
        Process p =
                new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
