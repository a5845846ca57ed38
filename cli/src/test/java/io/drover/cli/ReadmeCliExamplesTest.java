package io.drover.cli;

import static io.drover.cli.CliTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliTest.Result;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the README's command examples that follow a {@code <!-- tested: README examples -->} line,
 * in order, against a coordinator and a worker with the demo handlers, as a reader would type them
 * into a shell after {@code bin/drover quickstart}: each line's {@code # exit N} is the exit code
 * it must end with, and {@code NAME=$(drover ...)} keeps what a command prints for later lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeCliExamplesTest {
    static final String MARKER = "<!-- tested: README examples -->";

    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private static final Pattern CAPTURE = Pattern.compile("^([A-Z_]+)=\\$\\((.*)\\)$");
    private static final Pattern EXIT = Pattern.compile("#\\s*exit\\s+(\\d+)");
    private static final Pattern VARIABLE = Pattern.compile("\\$([A-Z_]+)");

    private ServerHarness server;

    @BeforeAll
    void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "readme");
        server.startWorker("worker-1", 4);
        server.startWorker("worker-2", 4);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void everyTestedReadmeExample_endsWithTheExitCodeItShows() throws Exception {
        List<String> lines = examples(Files.readAllLines(Path.of("..", "README.md")));
        assertThat(lines).as("README examples after " + MARKER).hasSizeGreaterThan(3);
        Map<String, String> vars = new HashMap<>();
        for (String line : lines) {
            Matcher exit = EXIT.matcher(line);
            int expected = exit.find() ? Integer.parseInt(exit.group(1)) : 0;
            String command = line.replaceFirst("\\s+#.*$", "").strip();
            Matcher capture = CAPTURE.matcher(command);
            String name = capture.matches() ? capture.group(1) : null;
            List<String> words = words(capture.matches() ? capture.group(2) : command, vars);
            assertThat(words.get(0)).as(line).isIn("drover", "bin/drover");
            words.remove(0);
            words.add("--url");
            words.add(server.url());
            Result r = drover(words.toArray(String[]::new));
            assertThat(r.code())
                    .as(line + "\nstdout: " + r.out() + "\nstderr: " + r.err())
                    .isEqualTo(expected);
            if (name != null) {
                vars.put(name, r.out().strip());
            }
        }
    }

    /** The lines of the bash blocks that follow a marker, continuations joined. */
    static List<String> examples(List<String> readme) {
        List<String> out = new ArrayList<>();
        boolean armed = false;
        boolean inBlock = false;
        StringBuilder pending = new StringBuilder();
        for (String line : readme) {
            if (line.strip().equals(MARKER)) {
                armed = true;
            } else if (armed && line.startsWith("```bash")) {
                inBlock = true;
            } else if (inBlock && line.startsWith("```")) {
                inBlock = false;
                armed = false;
            } else if (inBlock && !line.isBlank() && !line.strip().startsWith("#")) {
                if (line.endsWith("\\")) {
                    pending.append(line, 0, line.length() - 1).append(' ');
                } else {
                    out.add(pending.append(line).toString().strip());
                    pending.setLength(0);
                }
            }
        }
        return out;
    }

    /** Splits a command line as a shell would, then puts in the variables and the files. */
    static List<String> words(String command, Map<String, String> vars) {
        List<String> out = new ArrayList<>(CliTest.shellWords(command));
        out.replaceAll(w -> fromTheRoot(substitute(w, vars)));
        return out;
    }

    /**
     * A file the README names, such as {@code examples/etl-graph.json}, from the repository root.
     */
    private static String fromTheRoot(String word) {
        Path inRepo = Path.of("..", word);
        return !word.startsWith("-") && word.contains("/") && Files.isRegularFile(inRepo)
                ? inRepo.toString()
                : word;
    }

    private static String substitute(String word, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(word);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            assertThat(vars)
                    .as("variable $" + m.group(1) + " set by an earlier line")
                    .containsKey(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(vars.get(m.group(1))));
        }
        return m.appendTail(sb).toString();
    }
}
