package io.drover.server.api;

import java.util.List;

/**
 * {@code POST /v1/tasks/batch/status}: many tasks' statuses in one request (what a client that
 * follows the event stream reads to catch up, in place of one {@code GET} per task).
 *
 * @param ids in the request, the tasks to read (1 to 1,000)
 * @param tasks in the answer, the tasks found, in the order asked, with their results
 * @param missing in the answer, the ids that name no task
 */
@com.fasterxml.jackson.annotation.JsonInclude(
        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record TaskLookup(List<String> ids, List<TaskView> tasks, List<String> missing) {
    public static final int MAX_IDS = 1_000;
}
