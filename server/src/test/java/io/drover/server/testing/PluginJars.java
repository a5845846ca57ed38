package io.drover.server.testing;

import io.drover.worker.TaskHandlerPlugin;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * Plugin jars built at test time: sources compiled with {@code javax.tools} against the worker API
 * (so their classes exist only inside the jar, never on the test class path), with the service
 * entry naming the plugin. Jars and folders made here are writable by their owner alone, as the
 * worker requires.
 */
public final class PluginJars {
    private PluginJars() {}

    /** A plugins folder, created if need be, set to {@code rwxr-xr-x} (where POSIX applies). */
    public static Path folder(Path dir) throws IOException {
        Files.createDirectories(dir);
        chmod(dir, "rwxr-xr-x");
        return dir;
    }

    /** Sets POSIX permissions such as {@code rwxrwxr-x}; nothing on other file systems. */
    public static void chmod(Path path, String permissions) throws IOException {
        if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }

    /**
     * Compiles {@code sources} and writes their classes, with a service entry for {@code
     * pluginClass}, into {@code jar} ({@code rw-r--r--}).
     *
     * @param sources fully qualified class name to its Java source
     * @return {@code jar}
     */
    public static Path build(Path jar, String pluginClass, Map<String, String> sources)
            throws IOException {
        Path work = Files.createTempDirectory("drover-plugin-");
        try {
            Path classes = Files.createDirectories(work.resolve("classes"));
            List<String> args =
                    new java.util.ArrayList<>(
                            List.of("-d", classes.toString(), "-cp", workerApiClassPath()));
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = work.resolve("src/" + source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                args.add(file.toString());
            }
            int rc =
                    ToolProvider.getSystemJavaCompiler()
                            .run(null, null, null, args.toArray(String[]::new));
            if (rc != 0) {
                throw new IllegalStateException(
                        "the test plugin does not compile (javac exit " + rc + ")");
            }
            try (OutputStream out = Files.newOutputStream(jar);
                    JarOutputStream jarOut = new JarOutputStream(out);
                    Stream<Path> compiled = Files.walk(classes)) {
                jarOut.putNextEntry(
                        new JarEntry("META-INF/services/" + TaskHandlerPlugin.class.getName()));
                jarOut.write((pluginClass + "\n").getBytes(StandardCharsets.UTF_8));
                jarOut.closeEntry();
                for (Path c : compiled.filter(Files::isRegularFile).sorted().toList()) {
                    jarOut.putNextEntry(
                            new JarEntry(
                                    classes.relativize(c)
                                            .toString()
                                            .replace(File.separatorChar, '/')));
                    jarOut.write(Files.readAllBytes(c));
                    jarOut.closeEntry();
                }
            }
            chmod(jar, "rw-r--r--");
            return jar;
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The worker API and the Jackson types its interfaces use. */
    private static String workerApiClassPath() {
        return String.join(
                File.pathSeparator,
                location(TaskHandlerPlugin.class),
                location(com.fasterxml.jackson.databind.JsonNode.class),
                location(com.fasterxml.jackson.core.TreeNode.class));
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
