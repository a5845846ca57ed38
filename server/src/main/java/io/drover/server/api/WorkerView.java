package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A live worker as announced in ZooKeeper.
 *
 * @param state          ACTIVE or DRAINING
 * @param tasks          tasks assigned to it (claimed or not yet)
 * @param items          load/drop items it announces served ({@code served/<id>/}); loads in progress are not counted
 * @param servesItems    it has an item handler, so the leader may give it items
 * @param drainRequested an operator asked it to drain and it has not yet shown DRAINING
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkerView(String id, String state, int capacity, int tasks, int items, List<String> taskTypes, boolean servesItems,
                         Map<String, String> labels, String host, String version, long startedAtMs, boolean drainRequested) {}
