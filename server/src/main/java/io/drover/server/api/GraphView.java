package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.GraphRecord;
import java.util.List;
import java.util.Map;

/**
 * A graph as the API and the CLI show it. Lists carry the record's fields; {@code GET
 * /v1/graphs/{id}} adds how many of its tasks are in each state now and every task with its state
 * and dependencies.
 *
 * @param state {@code RUNNING} until the leader has seen every task end, then {@code SUCCEEDED},
 *     {@code FAILED} (a task failed) or {@code CANCELLED} (none failed, one was cancelled)
 * @param size how many tasks it has
 * @param ended how its tasks ended, once it has ended (as the leader counted them then)
 * @param counts tasks per state now, {@code GONE} for those deleted by retention ({@code GET
 *     /v1/graphs/{id}} only)
 * @param tasks every task, in the order submitted ({@code GET /v1/graphs/{id}} only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GraphView(
        String id,
        String state,
        int size,
        long createdAtMs,
        Long finishedAtMs,
        String submittedBy,
        Integer reruns,
        GraphRecord.Counts ended,
        Map<String, Integer> counts,
        List<Member> tasks) {

    /** A task of the graph: its state now ({@code GONE}: deleted) and what it depends on. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Member(String id, String type, String state, List<String> dependsOn) {}

    public static GraphView of(GraphRecord g) {
        return new GraphView(
                g.id(),
                g.state().name(),
                g.tasks().size(),
                g.createdAtMs(),
                g.finishedAtMs() == 0 ? null : g.finishedAtMs(),
                g.submittedBy(),
                g.reruns() == 0 ? null : g.reruns(),
                g.counts(),
                null,
                null);
    }

    public GraphView withTasks(Map<String, Integer> byState, List<Member> members) {
        return new GraphView(
                id,
                state,
                size,
                createdAtMs,
                finishedAtMs,
                submittedBy,
                reruns,
                ended,
                byState,
                members);
    }
}
