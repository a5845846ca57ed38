package io.drover.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When each leader held office, as the coordinators themselves logged it: {@code <id> leads with
 * epoch N} (the epoch bumped, earlier terms fenced out), {@code leader <id> ready in epoch N} (the
 * view rebuilt, work begins) and {@code <id> ends term N} (a graceful stop or a lost connection; a
 * {@code kill -9} logs nothing, the test knows when it sent it). Times are the log lines' own, in
 * UTC to the millisecond, from the same clock as everything else on this machine.
 */
final class OfficeLog {
    private static final Pattern LINE =
            Pattern.compile(
                    "^\\S+\\s+\\[(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3})\\] \\S+: "
                            + "(?:(\\S+) leads with epoch (\\d+)"
                            + "|leader (\\S+) ready in epoch (\\d+)"
                            + "|(\\S+) ends term (\\d+))");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    /** One term as logged; a time is 0 when no line said it. */
    record Term(long epoch, String leader, long leadsAtMs, long readyAtMs, long endedAtMs) {}

    private final Map<Long, Term> terms = new TreeMap<>();

    /** Reads the logs of every coordinator (each appended to across restarts). */
    static OfficeLog read(List<Path> logs) throws IOException {
        OfficeLog out = new OfficeLog();
        for (Path log : logs) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    out.parse(line);
                }
            }
        }
        return out;
    }

    private void parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            return;
        }
        long at = LocalDateTime.parse(m.group(1), TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
        if (m.group(2) != null) {
            update(Long.parseLong(m.group(3)), m.group(2), at, 0, 0);
        } else if (m.group(4) != null) {
            update(Long.parseLong(m.group(5)), m.group(4), 0, at, 0);
        } else {
            update(Long.parseLong(m.group(7)), m.group(6), 0, 0, at);
        }
    }

    private void update(long epoch, String leader, long leads, long ready, long ended) {
        Term t = terms.getOrDefault(epoch, new Term(epoch, leader, 0, 0, 0));
        terms.put(
                epoch,
                new Term(
                        epoch,
                        leader,
                        leads > 0 ? leads : t.leadsAtMs(),
                        ready > 0 ? ready : t.readyAtMs(),
                        ended > 0 ? ended : t.endedAtMs()));
    }

    /** Every term logged, by epoch. */
    Map<Long, Term> terms() {
        return terms;
    }

    /** When the leader of {@code epoch} logged it was ready, if it did. */
    OptionalLong readyAt(long epoch) {
        Term t = terms.get(epoch);
        return t == null || t.readyAtMs() == 0
                ? OptionalLong.empty()
                : OptionalLong.of(t.readyAtMs());
    }
}
