package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A live worker as announced in ZooKeeper.
 *
 * @param state          ACTIVE or DRAINING
 * @param tasks          tasks assigned to it (claimed or not yet)
 * @param drainRequested an operator asked it to drain and it has not yet shown DRAINING
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkerView(String id, String state, int capacity, int tasks, List<String> taskTypes, Map<String, String> labels,
                         String host, String version, long startedAtMs, boolean drainRequested) {}
