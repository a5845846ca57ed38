package io.drover.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.Znodes;
import io.drover.protocol.runtime.BatchedReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the results of the tasks an attempt's task depends on, for {@link
 * io.drover.worker.TaskContext#dependencyResults()}: one status read per dependency, batched into
 * read-only multis. A status that is gone is left out; one that does not decode is left out and
 * logged. Thread-safe; futures complete on the ZooKeeper event thread.
 */
final class DependencyResults {
    private static final Logger LOG = LoggerFactory.getLogger(DependencyResults.class);

    private final DroverPaths paths;
    private final BatchedReader reader;

    DependencyResults(CuratorFramework client, DroverPaths paths) {
        this.paths = paths;
        this.reader = new BatchedReader(client, 100);
    }

    /** Fails only on a connection problem: the attempt then gives the task back. */
    CompletableFuture<Map<String, JsonNode>> read(TaskSpec spec) {
        List<String> ids = spec.dependsOn();
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        List<CompletableFuture<Optional<Versioned<byte[]>>>> reads = new ArrayList<>(ids.size());
        ids.forEach(id -> reads.add(reader.read(paths.status(id))));
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                .thenApply(
                        v -> {
                            Map<String, JsonNode> out = new LinkedHashMap<>();
                            for (int i = 0; i < ids.size(); i++) {
                                String path = paths.status(ids.get(i));
                                reads.get(i).join().ifPresent(d -> put(out, path, d.value()));
                            }
                            return Collections.unmodifiableMap(out);
                        });
    }

    private static void put(Map<String, JsonNode> out, String path, byte[] data) {
        try {
            TaskStatus s = Znodes.status(path, data);
            out.put(s.taskId(), s.result() == null ? NullNode.getInstance() : s.result());
        } catch (CorruptZnodeException e) {
            LOG.warn("leaving out a dependency's result: {}", e.getMessage());
        }
    }
}
