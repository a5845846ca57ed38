package io.drover.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.drover.model.CallCancelledException;
import io.drover.model.CallFailedException;
import io.drover.model.CallTimeoutException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.protocol.ZooKeeperCalls;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link DroverClient#call}: a submission and a wait for its end ({@link StatusWatcher}, a watch on
 * this task's status only), turned into a result or a typed exception. Blocks the calling thread.
 */
final class Calls {
    private Calls() {}

    static JsonNode call(DroverClient client, TaskSpec spec, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String taskId = spec.id();
        AtomicReference<TaskStatus> last = new AtomicReference<>();
        try {
            taskId = get(client.submit(spec), deadline).taskId();
            TaskStatus end = get(client.whenDone(taskId, last::set), deadline);
            return switch (end.state()) {
                case SUCCEEDED -> end.result() == null ? NullNode.getInstance() : end.result();
                case CANCELLED -> throw new CallCancelledException(end);
                default -> throw new CallFailedException(end);
            };
        } catch (TimeoutException e) {
            throw new CallTimeoutException(taskId, last.get(), timeout);
        }
    }

    /** The future's value by the deadline; a failure as the Drover exception it stands for. */
    private static <T> T get(CompletableFuture<T> f, long deadline)
            throws TimeoutException, InterruptedException {
        return get(f, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /**
     * The future's value within {@code timeout}; a failure as the Drover exception it stands for.
     * Giving up cancels the future, which frees the watch when nothing else awaits the task.
     */
    static <T> T get(CompletableFuture<T> f, Duration timeout)
            throws TimeoutException, InterruptedException {
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw ZooKeeperCalls.translate("wait for task", e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            f.cancel(false);
            throw e;
        }
    }
}
