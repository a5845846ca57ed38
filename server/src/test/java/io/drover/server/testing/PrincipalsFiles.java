package io.drover.server.testing;

import io.drover.server.auth.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes principals files for tests and keeps the tokens they hash. */
public final class PrincipalsFiles {
    private record Entry(String token, String roles, long maxLiveTasks) {}

    private final Path file;
    private final Map<String, Entry> tokens = new LinkedHashMap<>();
    private final Map<String, String> certificates = new LinkedHashMap<>();

    public PrincipalsFiles(Path file) {
        this.file = file;
    }

    /** Adds a new token named {@code name} with {@code roles} (comma-separated); returns it. */
    public String token(String name, String roles) {
        return token(name, roles, 0);
    }

    /** The same, with the token's own cap on live tasks (0: none). */
    public String token(String name, String roles, long maxLiveTasks) {
        String token = Tokens.newToken();
        tokens.put(name, new Entry(token, roles, maxLiveTasks));
        return token;
    }

    public PrincipalsFiles revoke(String name) {
        tokens.remove(name);
        return this;
    }

    /** Lets a client certificate with this subject in, with {@code roles}. */
    public PrincipalsFiles certificate(String subject, String roles) {
        certificates.put(subject, roles);
        return this;
    }

    public String tokenOf(String name) {
        return tokens.get(name).token();
    }

    public Path path() {
        return file;
    }

    /** Writes the file (replacing it) and returns its path. */
    public Path write() throws IOException {
        StringBuilder s = new StringBuilder("tokens:\n");
        tokens.forEach(
                (name, e) ->
                        s.append(
                                "  - name: %s\n    sha256: %s\n    roles: [%s]\n"
                                                .formatted(
                                                        name,
                                                        Tokens.sha256Hex(e.token()),
                                                        e.roles())
                                        + (e.maxLiveTasks() > 0
                                                ? "    maxLiveTasks: " + e.maxLiveTasks() + "\n"
                                                : "")));
        s.append("certificates:\n");
        certificates.forEach(
                (subject, roles) ->
                        s.append(
                                "  - subject: \"%s\"\n    roles: [%s]\n"
                                        .formatted(subject, roles)));
        Files.writeString(file, s.toString().replace(":\n" + "certificates", ": []\ncertificates"));
        return file;
    }
}
