package io.drover.server.internal.auth;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.drover.server.auth.Role;
import io.drover.server.auth.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The principals file ({@code security.principalsFile}): who may call the HTTP API and the admin
 * port, by bearer token (stored as its SHA-256) or by client certificate subject, and with which
 * roles.
 *
 * <pre>
 * tokens:
 *   - name: ci
 *     sha256: 6b3a55e0261b0304143f805a24924d0c1c44524821305f31d9277843b8a10f4e
 *     roles: [submitter]
 *     maxLiveTasks: 10000      # optional: its own cap on live tasks it submitted
 * certificates:
 *   - subject: CN=ops-console,O=Example
 *     roles: [operator]
 * </pre>
 *
 * <p>The file is read again when it changes (looked at no more than once a second, on the request
 * that comes next), so tokens are added, rotated and revoked without a restart. A change that does
 * not parse is logged and ignored: the callers of the previous version keep working. Thread-safe; a
 * check reads a small file and never blocks on anything else.
 */
public final class Principals {
    private static final Logger LOG = LoggerFactory.getLogger(Principals.class);
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final ObjectMapper YAML =
            YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    record TokenEntry(String name, String sha256, List<String> roles, Long maxLiveTasks) {}

    record CertificateEntry(String subject, String name, List<String> roles, Long maxLiveTasks) {}

    record FileFormat(List<TokenEntry> tokens, List<CertificateEntry> certificates) {}

    private record Snapshot(
            byte[] bytes,
            Map<String, Caller> byTokenHash,
            Map<String, Caller> bySubject,
            Map<String, String> tokenHashByName) {}

    private final Path file;
    private volatile Snapshot current;
    private volatile long checkedAtNanos;

    private Principals(Path file, Snapshot first) {
        this.file = file;
        this.current = first;
        this.checkedAtNanos = System.nanoTime();
    }

    /**
     * @throws IllegalArgumentException naming the file and what is wrong in it; fix the file, a
     *     retry does not help
     */
    public static Principals load(Path file) {
        try {
            return new Principals(file, parse(file, Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "security.principalsFile " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The caller a bearer token stands for, if the file lists its hash. */
    public Optional<Caller> byToken(String token) {
        return Optional.ofNullable(snapshot().byTokenHash().get(Tokens.sha256Hex(token)));
    }

    /**
     * The caller the file names {@code name} for a token, and that token's SHA-256: a session binds
     * to both, so that removing or rotating the token ends the sessions it opened.
     */
    public Optional<TokenPrincipal> tokenPrincipal(String name) {
        Snapshot s = snapshot();
        String hash = s.tokenHashByName().get(name);
        return hash == null
                ? Optional.empty()
                : Optional.of(new TokenPrincipal(s.byTokenHash().get(hash), hash));
    }

    /** A token's caller and the token's SHA-256 (lower-case hex), as the file lists them. */
    public record TokenPrincipal(Caller caller, String sha256) {}

    /** The caller a client certificate (already verified by the TLS handshake) stands for. */
    public Optional<Caller> byCertificate(X509Certificate certificate) {
        return Optional.ofNullable(
                snapshot().bySubject().get(canonical(certificate.getSubjectX500Principal())));
    }

    private Snapshot snapshot() {
        long now = System.nanoTime();
        if (now - checkedAtNanos >= RECHECK_NANOS) {
            reloadIfChanged(now);
        }
        return current;
    }

    private synchronized void reloadIfChanged(long now) {
        if (now - checkedAtNanos < RECHECK_NANOS) {
            return; // another request just did it
        }
        checkedAtNanos = now;
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (!Arrays.equals(bytes, current.bytes())) {
                current = parse(file, bytes);
                LOG.info(
                        "read {} again: {} tokens, {} certificates",
                        file,
                        current.byTokenHash().size(),
                        current.bySubject().size());
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("kept the previous principals: {}", e.getMessage());
        }
    }

    static Snapshot parse(Path file, byte[] bytes) {
        FileFormat f;
        try {
            f = YAML.readValue(bytes, FileFormat.class);
        } catch (IOException e) {
            throw invalid(file, e.getMessage().lines().findFirst().orElse("unreadable"));
        }
        Map<String, Caller> tokens = new HashMap<>();
        Map<String, Caller> subjects = new HashMap<>();
        Map<String, String> hashByName = new HashMap<>();
        Set<String> names = new java.util.HashSet<>();
        List<TokenEntry> tokenEntries = f == null || f.tokens() == null ? List.of() : f.tokens();
        for (int i = 0; i < tokenEntries.size(); i++) {
            TokenEntry t = tokenEntries.get(i);
            String where = "tokens[" + i + "]";
            String name = name(file, where, t.name(), names);
            if (t.sha256() == null || !t.sha256().matches("[0-9a-f]{64}")) {
                throw invalid(file, where + ".sha256 must be 64 lower-case hex digits");
            }
            if (tokens.put(
                            t.sha256(),
                            new Caller(
                                    name,
                                    roles(file, where, t.roles()),
                                    "token",
                                    cap(file, where, t.maxLiveTasks())))
                    != null) {
                throw invalid(file, where + ".sha256 is listed twice");
            }
            hashByName.put(name, t.sha256());
        }
        List<CertificateEntry> certs =
                f == null || f.certificates() == null ? List.of() : f.certificates();
        for (int i = 0; i < certs.size(); i++) {
            CertificateEntry c = certs.get(i);
            String where = "certificates[" + i + "]";
            String subject;
            try {
                subject = canonical(new X500Principal(c.subject()));
            } catch (RuntimeException e) {
                throw invalid(
                        file,
                        where + ".subject must be a distinguished name such as CN=ops,O=Example");
            }
            String name = name(file, where, c.name() == null ? c.subject() : c.name(), names);
            if (subjects.put(
                            subject,
                            new Caller(
                                    name,
                                    roles(file, where, c.roles()),
                                    "certificate",
                                    cap(file, where, c.maxLiveTasks())))
                    != null) {
                throw invalid(file, where + ".subject is listed twice");
            }
        }
        return new Snapshot(
                bytes, Map.copyOf(tokens), Map.copyOf(subjects), Map.copyOf(hashByName));
    }

    private static String name(Path file, String where, String name, Set<String> seen) {
        if (name == null || name.isBlank()) {
            throw invalid(file, where + ".name is missing");
        }
        if (!seen.add(name)) {
            throw invalid(file, where + ".name '" + name + "' is used twice");
        }
        return name;
    }

    private static Set<Role> roles(Path file, String where, List<String> names) {
        if (names == null || names.isEmpty()) {
            throw invalid(file, where + ".roles is empty");
        }
        try {
            return names.stream().map(Role::parse).collect(java.util.stream.Collectors.toSet());
        } catch (IllegalArgumentException e) {
            throw invalid(file, where + ".roles: " + e.getMessage());
        }
    }

    private static long cap(Path file, String where, Long max) {
        if (max == null) {
            return 0;
        }
        if (max < 1 || max > io.drover.model.TypePolicy.MAX_LIVE_TASKS) {
            throw invalid(
                    file,
                    where
                            + ".maxLiveTasks must be between 1 and "
                            + io.drover.model.TypePolicy.MAX_LIVE_TASKS);
        }
        return max;
    }

    private static String canonical(X500Principal p) {
        return p.getName(X500Principal.CANONICAL);
    }

    private static IllegalArgumentException invalid(Path file, String what) {
        return new IllegalArgumentException("security.principalsFile " + file + ": " + what);
    }
}
