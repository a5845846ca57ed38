package io.drover.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The jars of the plugins folder ({@code worker.pluginsDir}), checked before any of them is loaded:
 * the folder is named by absolute path; it and its jars are writable by their owner alone (where
 * the file system has POSIX permissions); with pins ({@code worker.pluginSha256}) every jar is
 * pinned and matches its SHA-256, and every pinned jar is there.
 */
final class PluginFolder {
    private PluginFolder() {}

    /**
     * The jars to load, sorted by name; none if {@code dir} is null or blank (no plugins).
     *
     * @param pins jar file name to lower-case hex SHA-256; empty: no pins
     * @throws IllegalArgumentException naming the field, the folder or the jar, and what to do
     */
    static List<Path> verifiedJars(String dir, Map<String, String> pins) {
        if (dir == null || dir.isBlank()) {
            if (!pins.isEmpty()) {
                throw new IllegalArgumentException(
                        "worker.pluginSha256 pins "
                                + new TreeSet<>(pins.keySet())
                                + " but worker.pluginsDir is empty: set it to the folder of those"
                                + " jars, or remove the pins");
            }
            return List.of();
        }
        Path folder = Path.of(dir);
        if (!folder.isAbsolute()) {
            throw new IllegalArgumentException(
                    "worker.pluginsDir must be an absolute path, was '"
                            + dir
                            + "': a relative folder depends on the working directory the worker"
                            + " happens to start in, so whoever can write there could plant code"
                            + " the worker runs (leave it empty for no plugins)");
        }
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(
                    "worker.pluginsDir "
                            + folder
                            + " is not a folder: create it, or leave worker.pluginsDir empty for"
                            + " no plugins");
        }
        requireOwnerOnlyWritable(folder, "the plugins folder (worker.pluginsDir)");
        List<Path> jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "worker.pluginsDir " + folder + " cannot be listed: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            if (!Files.isRegularFile(jar)) {
                problems.add("plugin jar " + jar + " is not a regular file");
                continue;
            }
            requireOwnerOnlyWritable(jar, "plugin jar");
            if (!pins.isEmpty()) {
                String pinned = pins.get(name);
                String actual = sha256(jar);
                if (pinned == null) {
                    problems.add(
                            "plugin jar "
                                    + name
                                    + " (SHA-256 "
                                    + actual
                                    + ") is not pinned in worker.pluginSha256; with pins, every"
                                    + " jar of "
                                    + folder
                                    + " must have one");
                    continue;
                }
                if (!pinned.equals(actual)) {
                    problems.add(
                            "plugin jar "
                                    + name
                                    + " has SHA-256 "
                                    + actual
                                    + ", but worker.pluginSha256 pins "
                                    + pinned);
                    continue;
                }
            }
            try {
                // opened only to tell a broken jar apart from one without a plugin
                new JarFile(jar.toFile()).close();
            } catch (IOException | SecurityException e) {
                problems.add("plugin jar " + name + " cannot be read as a jar: " + e.getMessage());
            }
        }
        Set<String> present =
                jars.stream().map(j -> j.getFileName().toString()).collect(Collectors.toSet());
        new TreeSet<>(pins.keySet())
                .stream()
                        .filter(pinned -> !present.contains(pinned))
                        .forEach(
                                missing ->
                                        problems.add(
                                                "worker.pluginSha256 pins plugin jar "
                                                        + missing
                                                        + ", but "
                                                        + folder
                                                        + " has no such jar"));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return jars;
    }

    /** The file's SHA-256 in lower-case hex. */
    static String sha256(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "plugin jar " + file + " cannot be read: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Refuses a folder or file that group or others may write: they could plant or swap code the
     * worker runs. Nothing to check on a file system without POSIX permissions.
     */
    private static void requireOwnerOnlyWritable(Path path, String what) {
        PosixFileAttributeView view =
                Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = view.readAttributes().permissions();
        } catch (UnsupportedOperationException e) {
            return;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    what + " " + path + " cannot be read: " + e.getMessage(), e);
        }
        if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IllegalArgumentException(
                    what
                            + " "
                            + path
                            + " is writable by group or others ("
                            + PosixFilePermissions.toString(permissions)
                            + "), so they could plant or change code the worker runs: chmod go-w "
                            + path);
        }
    }
}
