package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bin/drover-local-cluster} and {@code bin/drover} as an operator would, from the
 * project's root, with every port shifted by an offset of its own. Output goes to files under
 * target/, so that the processes' logs are there to read when a test fails on CI.
 */
final class LocalClusterScript {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    record Run(int exit, String out, String err) {}

    private final Path dir;
    private final int portOffset;
    private final Map<String, String> env = new HashMap<>();

    LocalClusterScript(String name, int portOffset) {
        this.dir = Path.of("target", name).toAbsolutePath();
        this.portOffset = portOffset;
    }

    Path dir() {
        return dir;
    }

    /** Where {@code up} keeps logs, pids and secrets. */
    Path clusterDir() {
        return dir.resolve("cluster");
    }

    int port(int base) {
        return base + portOffset;
    }

    /** An environment variable for every later command. */
    LocalClusterScript withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    Run localCluster(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bin/drover-local-cluster"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--dir", clusterDir().toString()));
        return run(cmd.toArray(String[]::new));
    }

    Run drover(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bin/drover"));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    /** {@code drover ARGS -o json}, which must succeed. */
    JsonNode json(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", "json"));
        Run r = drover(all.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return DroverJson.parsePayload(r.out());
    }

    Run run(String... command) throws Exception {
        Files.createDirectories(dir);
        File out = dir.resolve("out.txt").toFile();
        File err = dir.resolve("err.txt").toFile();
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .directory(ROOT.toFile())
                        .redirectOutput(out)
                        .redirectError(err);
        Map<String, String> e = pb.environment();
        e.put("DROVER_PORT_OFFSET", Integer.toString(portOffset));
        e.put("DROVER_ZK_SESSION_TIMEOUT", "4s");
        e.put("DROVER_JAVA_OPTS", "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        e.putAll(env);
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 300 s");
        }
        return new Run(
                p.exitValue(),
                Files.readString(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }
}
