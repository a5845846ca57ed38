package io.drover.server.internal.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.model.WorkerInfo;
import io.drover.protocol.CorruptNodes;
import io.drover.protocol.Znodes;
import io.drover.server.api.TaskView;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Turns what the feed read into stream events: the JSON of each kind (the contract in {@code
 * docs/api.md#events}). Decoding validates through {@link Znodes}; a corrupt node yields no event
 * and is reported once to {@link CorruptNodes}, never stopping the feed. Stateless and thread-safe.
 */
final class EventMaker {
    private final ObjectMapper json = DroverJson.mapper();
    private final CorruptNodes corrupt;
    private final LongSupplier clock;

    EventMaker(CorruptNodes corrupt, LongSupplier clock) {
        this.corrupt = corrupt;
        this.clock = clock;
    }

    /** A task's status (and its spec, for the labels) as read after a notification. */
    FeedEvent task(long zxid, String path, NodeRead status, Map<String, String> labels) {
        if (!status.exists()) {
            return null; // retention deleted it: not a state change
        }
        TaskStatus[] s = {null};
        corrupt.guard(path, status.version(), () -> s[0] = Znodes.status(path, status.data()));
        if (s[0] == null) {
            return null;
        }
        ObjectNode view = json.valueToTree(TaskView.of(s[0]).withoutResult());
        view.set("labels", json.valueToTree(labels));
        ObjectNode data = json.createObjectNode().put("kind", "task");
        data.set("task", view);
        return event(zxid, "task", s[0].taskId(), s[0].type(), labels, data);
    }

    /** The labels a task's spec requires; empty when the spec cannot be read or decoded. */
    Map<String, String> labels(String path, NodeRead spec) {
        if (!spec.exists()) {
            return Map.of();
        }
        TaskSpec[] s = {null};
        corrupt.guard(path, spec.version(), () -> s[0] = Znodes.spec(path, spec.data()));
        return s[0] == null || s[0].requiredLabels() == null ? Map.of() : s[0].requiredLabels();
    }

    FeedEvent worker(long zxid, String path, String change, NodeRead read) {
        String id = DroverPaths.nodeName(path);
        ObjectNode data = json.createObjectNode().put("kind", "worker").put("workerId", id);
        Map<String, String> labels = Map.of();
        if (read == null) {
            data.put("change", "left").putNull("worker");
        } else if (!read.exists()) {
            return null; // it left before the read: the left event follows
        } else {
            WorkerInfo[] w = {null};
            corrupt.guard(path, read.version(), () -> w[0] = Znodes.worker(path, read.data()));
            if (w[0] == null) {
                return null;
            }
            labels = w[0].labels();
            data.put("change", change);
            data.set("worker", json.valueToTree(w[0]));
        }
        return event(zxid, "worker", null, null, labels, data);
    }

    FeedEvent leader(long zxid, String path, NodeRead read) {
        if (!read.exists()) {
            return null;
        }
        String[] leader = {null};
        corrupt.guard(
                path, read.version(), () -> leader[0] = Znodes.epoch(path, read.data()).leader());
        if (leader[0] == null) {
            return null;
        }
        ObjectNode data =
                json.createObjectNode()
                        .put("kind", "leader")
                        .put("leader", leader[0])
                        .put("epoch", read.version());
        return event(zxid, "leader", null, null, null, data);
    }

    FeedEvent item(long zxid, String workerId, String itemId, boolean served) {
        ObjectNode data =
                json.createObjectNode()
                        .put("kind", "item")
                        .put("change", served ? "served" : "dropped")
                        .put("itemId", itemId)
                        .put("workerId", workerId);
        return event(zxid, "item", null, null, null, data);
    }

    FeedEvent breaker(long zxid, String path, NodeRead read) {
        if (!read.exists()) {
            return null;
        }
        String type = DroverPaths.nodeName(path);
        ObjectNode data = json.createObjectNode().put("kind", "breaker").put("type", type);
        boolean[] ok = {false};
        corrupt.guard(
                path,
                read.version(),
                () -> {
                    data.set("breaker", json.valueToTree(Znodes.breaker(path, read.data())));
                    ok[0] = true;
                });
        return ok[0] ? event(zxid, "breaker", null, type, null, data) : null;
    }

    /** Tells subscribers that notifications may have been missed. */
    String gapJson(String reason) {
        return json.createObjectNode().put("kind", "gap").put("reason", reason).toString();
    }

    private FeedEvent event(
            long zxid,
            String kind,
            String taskId,
            String type,
            Map<String, String> labels,
            ObjectNode data) {
        return new FeedEvent(zxid, kind, taskId, type, labels, data.toString(), clock.getAsLong());
    }
}
