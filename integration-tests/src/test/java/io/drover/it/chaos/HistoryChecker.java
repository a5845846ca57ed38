package io.drover.it.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a run against DESIGN.md's invariants, Jepsen style: from the workers' recorded histories
 * (every attempt start and every commit, accepted or rejected, with attempt and fencing token) plus
 * the final statuses read from ZooKeeper. It reports, per task:
 *
 * <ul>
 *   <li>lost: accepted but without a status at the end;
 *   <li>not terminal at the end;
 *   <li>more than one terminal write: more than one accepted terminal commit in the histories, or,
 *       with ZooKeeper as the witness, more than one {@code done/} index entry (every terminal
 *       write, the leader's included, creates one in the same multi);
 *   <li>run after terminal: an attempt whose claim ZooKeeper accepted after the task's terminal
 *       status was written (claim zxid, the fencing token, above the terminal write's zxid). A
 *       worker paused between its claim and starting the handler may start it after the task ended,
 *       in wall-clock time; its claim still came first, and its commit is rejected. Order is
 *       ZooKeeper's, not the clocks';
 *   <li>overlapping executions whose commits were both accepted: two executions of the same attempt
 *       number with accepted commits (an attempt number is handed out again only by a hand-back,
 *       which commits nothing; anything else moves the status on first, so executions of different
 *       attempts are ordered by ZooKeeper itself, whatever the wall clocks say);
 *   <li>attempts over {@code maxAttempts}.
 * </ul>
 */
final class HistoryChecker {
    /** One line of a worker's history file. */
    record Event(
            long atMs,
            String worker,
            String kind,
            String taskId,
            int attempt,
            long token,
            String state) {
        static Event of(JsonNode n) {
            return new Event(
                    n.path("atMs").asLong(),
                    n.path("worker").asText(),
                    n.path("kind").asText(),
                    n.path("taskId").asText(),
                    n.path("attempt").asInt(),
                    n.path("token").asLong(),
                    n.path("state").asText(null));
        }

        boolean acceptedTerminal() {
            return kind.equals("COMMITTED")
                    && state != null
                    && TaskState.valueOf(state).isTerminal();
        }
    }

    /** What the checker found: every list empty means the run kept every invariant. */
    record Report(
            List<String> lost,
            List<String> notTerminal,
            List<String> doubleCommits,
            List<String> runAfterTerminal,
            List<String> overlappingAcceptedCommits,
            List<String> attemptsOverMax,
            int tasks,
            int executions,
            int rejectedCommits,
            int unreadableLines) {
        boolean clean() {
            return lost.isEmpty()
                    && notTerminal.isEmpty()
                    && doubleCommits.isEmpty()
                    && runAfterTerminal.isEmpty()
                    && overlappingAcceptedCommits.isEmpty()
                    && attemptsOverMax.isEmpty();
        }

        @Override
        public String toString() {
            return "tasks "
                    + tasks
                    + ", executions "
                    + executions
                    + ", rejected stale commits "
                    + rejectedCommits
                    + ", unreadable history lines "
                    + unreadableLines
                    + "; lost "
                    + lost
                    + ", not terminal "
                    + notTerminal
                    + ", double commits "
                    + doubleCommits
                    + ", run after terminal "
                    + runAfterTerminal
                    + ", overlapping accepted commits "
                    + overlappingAcceptedCommits
                    + ", attempts over max "
                    + attemptsOverMax;
        }
    }

    private HistoryChecker() {}

    /** The events of some history files; {@code unreadable[0]} counts lines that do not parse. */
    static List<Event> read(Collection<Path> files, int[] unreadable) throws IOException {
        List<Event> events = new ArrayList<>();
        for (Path f : files) {
            if (!Files.exists(f)) {
                continue;
            }
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    events.add(Event.of(DroverJson.mapper().readTree(line)));
                } catch (IOException cut) {
                    // a kill -9 cut a line short and the restarted worker appended to it; the done/
                    // witness covers commits
                    unreadable[0]++;
                }
            }
        }
        return events;
    }

    /**
     * @param accepted every task id the cluster accepted
     * @param finals the final status of each task that has one
     * @param endZxids per ended task, the zxid of its status znode's last write (the terminal one)
     * @param terminalWrites per task, its entries in ZooKeeper's {@code done/} index
     */
    static Report check(
            Collection<String> accepted,
            Map<String, TaskStatus> finals,
            Map<String, Long> endZxids,
            Map<String, Integer> terminalWrites,
            List<Event> events,
            int unreadableLines) {
        Map<String, List<Event>> byTask = new TreeMap<>();
        events.forEach(e -> byTask.computeIfAbsent(e.taskId(), k -> new ArrayList<>()).add(e));
        List<String> lost = new ArrayList<>();
        List<String> notTerminal = new ArrayList<>();
        List<String> doubles = new ArrayList<>();
        List<String> afterTerminal = new ArrayList<>();
        List<String> overlapping = new ArrayList<>();
        List<String> overMax = new ArrayList<>();
        int executions = 0;
        int rejected = 0;
        for (String id : accepted) {
            TaskStatus s = finals.get(id);
            List<Event> history = byTask.getOrDefault(id, List.of());
            executions += (int) history.stream().filter(e -> e.kind().equals("STARTED")).count();
            rejected += (int) history.stream().filter(e -> e.kind().equals("REJECTED")).count();
            if (s == null) {
                lost.add(id);
                continue;
            }
            if (!s.state().isTerminal()) {
                notTerminal.add(id + " (" + s.state() + ")");
            }
            long terminalCommits = history.stream().filter(Event::acceptedTerminal).count();
            int witnessed = terminalWrites.getOrDefault(id, 0);
            if (terminalCommits > 1 || witnessed > 1) {
                doubles.add(
                        id
                                + " ("
                                + terminalCommits
                                + " accepted terminal commits, "
                                + witnessed
                                + " done/ entries)");
            }
            for (Event e : history) {
                Long endZxid = endZxids.get(id);
                if (e.kind().equals("STARTED")
                        && s.state().isTerminal()
                        && endZxid != null
                        && e.token() > endZxid) {
                    afterTerminal.add(
                            id
                                    + " (attempt "
                                    + e.attempt()
                                    + " on "
                                    + e.worker()
                                    + " claimed at zxid "
                                    + e.token()
                                    + ", after the end at zxid "
                                    + endZxid
                                    + ")");
                }
                if (e.kind().equals("STARTED") && e.attempt() > s.maxAttempts()) {
                    overMax.add(id + " (attempt " + e.attempt() + " of " + s.maxAttempts() + ")");
                }
            }
            overlapping.addAll(overlaps(id, history));
        }
        return new Report(
                lost,
                notTerminal,
                doubles,
                afterTerminal,
                overlapping,
                overMax,
                accepted.size(),
                executions,
                rejected,
                unreadableLines);
    }

    /**
     * Two executions (fencing tokens) of the same attempt number that both had a commit accepted.
     */
    private static List<String> overlaps(String id, List<Event> history) {
        Map<Integer, java.util.Set<Long>> acceptedByAttempt = new TreeMap<>();
        for (Event e : history) {
            if (e.kind().equals("COMMITTED")) {
                acceptedByAttempt
                        .computeIfAbsent(e.attempt(), a -> new java.util.TreeSet<>())
                        .add(e.token());
            }
        }
        List<String> out = new ArrayList<>();
        acceptedByAttempt.forEach(
                (attempt, tokens) -> {
                    if (tokens.size() > 1) {
                        out.add(
                                id
                                        + " (attempt "
                                        + attempt
                                        + " committed by executions "
                                        + tokens
                                        + ")");
                    }
                });
        return out;
    }
}
