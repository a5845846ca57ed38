package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.Progress;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import java.util.List;
import java.util.Map;

/**
 * A task as the API and the CLI show it. Lists carry the status fields but not the result (a result
 * may be 256 KiB: a page of them would be huge) nor the attempt history; {@code GET /v1/tasks/{id}}
 * has both and adds the spec ({@code priority}, {@code labels}, {@code payload}, {@code timeoutMs})
 * and, for a pending task, why it waits ({@code waitingFor}).
 *
 * @param state a {@link io.drover.model.TaskState} name, or {@code UNREADABLE} when the task's
 *     znode is corrupt (then {@code error} says what is wrong with it)
 * @param worker the worker of the current attempt; null (present, for scripts) while there is none
 * @param error why the last attempt failed; null (present, for scripts) if it did not
 * @param submittedBy who submitted it through an API with authentication (the principals file's
 *     name of the token or certificate); absent otherwise
 * @param series the current series of attempts: 1, then one more per re-run
 * @param attempts the last 16 attempts, oldest first ({@code GET /v1/tasks/{id}} only; absent in
 *     lists)
 * @param runAs the type whose handler runs (or ran) the current attempt when not the task's own:
 *     its type's circuit breaker was open and falls back to it; absent otherwise
 * @param broadcast a broadcast's policy and responses, or a response's broadcast and worker ({@code
 *     GET /v1/tasks/{id}} only)
 * @param dependsOn the tasks it depends on, with their states now ({@code GET /v1/tasks/{id}} only;
 *     absent for a task without dependencies)
 * @param ifDependencyFails {@code CANCEL} or {@code RUN}, for a task with dependencies
 * @param graphId the graph it belongs to, if any
 * @param dependents the tasks of its graph that depend on it ({@code GET /v1/tasks/{id}} only;
 *     Drover keeps no index of the dependents of a task outside a graph)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskView(
        String id,
        String type,
        String state,
        int attempt,
        int maxAttempts,
        @JsonInclude(JsonInclude.Include.ALWAYS) String worker,
        @JsonInclude(JsonInclude.Include.ALWAYS) String error,
        JsonNode result,
        Progress progress,
        Long submittedAtMs,
        Long startedAtMs,
        Long finishedAtMs,
        Long notBeforeMs,
        Long fencingToken,
        Integer priority,
        Map<String, String> labels,
        JsonNode payload,
        Long timeoutMs,
        String waitingFor,
        String submittedBy,
        Integer series,
        List<AttemptView> attempts,
        String runAs,
        BroadcastView broadcast,
        List<TaskLink> dependsOn,
        String ifDependencyFails,
        String graphId,
        List<TaskLink> dependents) {
    public static final String UNREADABLE = "UNREADABLE";

    /** Another task this one is linked to, and its state when read. */
    public record TaskLink(String id, String state) {}

    public static TaskView of(TaskStatus s) {
        return new TaskView(
                s.taskId(),
                s.type(),
                s.state().name(),
                s.attempt(),
                s.maxAttempts(),
                s.workerId(),
                s.error(),
                s.result(),
                s.progress(),
                s.submittedAtMs(),
                nonZero(s.startedAtMs()),
                nonZero(s.finishedAtMs()),
                nonZero(s.notBeforeMs()),
                nonZero(s.fencingToken()),
                null,
                null,
                null,
                null,
                null,
                s.submittedBy(),
                s.series(),
                AttemptView.of(s.attempts()),
                s.runAs(),
                null,
                null,
                null,
                null,
                null);
    }

    public static TaskView unreadable(String id, String problem) {
        return new TaskView(
                id,
                null,
                UNREADABLE,
                0,
                0,
                null,
                problem,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** The same view with the spec's fields. */
    public TaskView withSpec(TaskSpec spec) {
        return new TaskView(
                id,
                type,
                state,
                attempt,
                maxAttempts,
                worker,
                error,
                result,
                progress,
                submittedAtMs,
                startedAtMs,
                finishedAtMs,
                notBeforeMs,
                fencingToken,
                spec.priority(),
                spec.requiredLabels(),
                spec.payload(),
                nonZero(spec.timeoutMs()),
                waitingFor,
                submittedBy != null ? submittedBy : spec.submittedBy(),
                series,
                attempts,
                runAs,
                broadcast,
                dependsOn,
                spec.dependsOn().isEmpty()
                        ? null
                        : (spec.ifDependencyFails() == null
                                        ? TaskSpec.IfDependencyFails.CANCEL
                                        : spec.ifDependencyFails())
                                .name(),
                spec.graphId(),
                dependents);
    }

    /**
     * The same view without the handler's result and the attempt history, for listings (a page of
     * them would be huge).
     */
    public TaskView withoutResult() {
        return new TaskView(
                id,
                type,
                state,
                attempt,
                maxAttempts,
                worker,
                error,
                null,
                progress,
                submittedAtMs,
                startedAtMs,
                finishedAtMs,
                notBeforeMs,
                fencingToken,
                priority,
                labels,
                payload,
                timeoutMs,
                waitingFor,
                submittedBy,
                series,
                null,
                runAs,
                broadcast,
                null,
                ifDependencyFails,
                graphId,
                null);
    }

    public TaskView withWaitingFor(String waiting) {
        return new TaskView(
                id,
                type,
                state,
                attempt,
                maxAttempts,
                worker,
                error,
                result,
                progress,
                submittedAtMs,
                startedAtMs,
                finishedAtMs,
                notBeforeMs,
                fencingToken,
                priority,
                labels,
                payload,
                timeoutMs,
                waiting,
                submittedBy,
                series,
                attempts,
                runAs,
                broadcast,
                dependsOn,
                ifDependencyFails,
                graphId,
                dependents);
    }

    /**
     * The same view with its broadcast side, and the states of the tasks it depends on and of its
     * dependents (each null when there is none).
     */
    public TaskView withRelations(
            BroadcastView b, List<TaskLink> dependencies, List<TaskLink> dependentTasks) {
        return new TaskView(
                id,
                type,
                state,
                attempt,
                maxAttempts,
                worker,
                error,
                result,
                progress,
                submittedAtMs,
                startedAtMs,
                finishedAtMs,
                notBeforeMs,
                fencingToken,
                priority,
                labels,
                payload,
                timeoutMs,
                waitingFor,
                submittedBy,
                series,
                attempts,
                runAs,
                b,
                dependencies,
                ifDependencyFails,
                graphId,
                dependentTasks);
    }

    private static Long nonZero(long v) {
        return v == 0 ? null : v;
    }
}
