package io.drover.cli.client;

import io.drover.model.TaskSpec;
import io.drover.server.api.SubmitRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of a task's spec that {@code drover submit} and {@code drover run} share. */
public final class TaskOptions {
    @Option(
            names = "--payload",
            description = "The payload: JSON text, or @FILE to read it from a file.")
    String payload;

    @Option(names = "--priority", description = "Higher runs first (default 0).")
    Integer priority;

    @Option(
            names = "--max-attempts",
            description = "Attempts before the task fails for good (default 3).")
    Integer maxAttempts;

    @Option(names = "--label", description = "A label the worker must have, k=v; repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(
            names = "--key",
            description = "Idempotency key: the same key always names the same task.")
    String key;

    @Option(names = "--id", description = "A task id of your choice (resubmitting it is a no-op).")
    String id;

    @Option(
            names = "--after",
            paramLabel = "ID",
            description =
                    "Run only after this task has succeeded (WAITING until then; cancelled if it"
                            + " fails); repeatable.")
    List<String> after = new ArrayList<>();

    @Option(
            names = "--if-dependency-fails",
            paramLabel = "CANCEL|RUN",
            description = "With --after: CANCEL this task (the default) or RUN it anyway.")
    TaskSpec.IfDependencyFails ifDependencyFails;

    /** Whether the user names the task (by id or key); otherwise the CLI does. */
    boolean named() {
        return id != null || key != null;
    }

    /**
     * The request for a task of {@code type} named {@code taskId} (null: by {@code --key}), with an
     * attempt timeout of {@code timeoutMs} (null: none).
     */
    SubmitRequest request(String type, String taskId, Long timeoutMs) {
        return new SubmitRequest(
                taskId,
                type,
                JsonArgument.read("--payload", payload),
                priority,
                maxAttempts,
                timeoutMs,
                labels.isEmpty() ? null : labels,
                key,
                null,
                null,
                null,
                after.isEmpty() ? null : after,
                ifDependencyFails);
    }
}
