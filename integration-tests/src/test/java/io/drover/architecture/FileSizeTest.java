package io.drover.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Source files stay small: at most 300 lines in {@code src/main}, split by responsibility. The web
 * console's scripts, styles and pages count too.
 */
class FileSizeTest {
    private static final int LIMIT = 300;
    private static final java.util.regex.Pattern SOURCES =
            java.util.regex.Pattern.compile("\\.(java|js|css|html)$");

    @Test
    void noMainSourceFileOver300Lines() throws IOException {
        Path root =
                Path.of("")
                        .toAbsolutePath()
                        .getParent(); // integration-tests runs from its own folder
        Map<String, Integer> over = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f :
                    (Iterable<Path>)
                            files.filter(
                                            p ->
                                                    SOURCES.matcher(p.toString()).find()
                                                            && p.toString().contains("/src/main/"))
                                    ::iterator) {
                String rel = root.relativize(f).toString();
                int lines;
                try (Stream<String> l = Files.lines(f)) {
                    lines = (int) l.count();
                }
                if (lines > LIMIT) {
                    over.put(rel, lines);
                }
            }
        }
        assertThat(over).as("files over " + LIMIT + " lines").isEmpty();
    }
}
