package io.drover.cli.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.model.DroverJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named contexts, like kubectl's: where a cluster's API is (a URL, or a ZooKeeper to find the
 * coordinators in) and the files that prove who the operator is, so that commands need no flags.
 * Kept in {@code ~/.drover/contexts.json} ({@code DROVER_CONFIG} names another file), readable by
 * its owner only. It holds file names, never a token.
 */
final class Contexts {
    /** One context; null fields are not set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Context(String url, String zk, String cluster, String tokenFile, String cacert) {}

    /** The file's content. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record File(String current, Map<String, Context> contexts) {
        File {
            contexts = contexts == null ? new TreeMap<>() : new TreeMap<>(contexts);
        }
    }

    private static final ObjectMapper JSON = DroverJson.mapper();

    private Contexts() {}

    static Path path() {
        String env = System.getenv("DROVER_CONFIG");
        return env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".drover", "contexts.json");
    }

    static File read() {
        Path p = path();
        if (!Files.exists(p)) {
            return new File(null, null);
        }
        try {
            return JSON.readValue(Files.readAllBytes(p), File.class);
        } catch (IOException e) {
            throw new ApiException(
                    "cannot read the contexts file "
                            + p
                            + ": "
                            + firstLine(e.getMessage())
                            + " (fix or delete it)",
                    ExitCodes.USAGE,
                    false,
                    e);
        }
    }

    static void write(File f) {
        Path p = path();
        try {
            Files.createDirectories(p.toAbsolutePath().getParent());
            Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(f));
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // a file system without POSIX permissions: its own rules apply
            }
            Files.move(
                    tmp,
                    p,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ApiException(
                    "cannot write the contexts file " + p + ": " + e.getMessage(),
                    ExitCodes.USAGE,
                    false,
                    e);
        }
    }

    /** The context a command uses: the one named, or else the current one; null for none. */
    static Context resolve(String name) {
        File f = read();
        String n = name != null ? name : f.current();
        if (n == null) {
            return null;
        }
        Context c = f.contexts().get(n);
        if (c == null) {
            throw unknown(n, ExitCodes.USAGE);
        }
        return c;
    }

    /** The one error for a context name that {@code contexts.json} does not hold. */
    static ApiException unknown(String name, int exitCode) {
        return new ApiException(
                "no context named '" + name + "' in " + path() + "; drover context list shows them",
                exitCode,
                false,
                null);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
