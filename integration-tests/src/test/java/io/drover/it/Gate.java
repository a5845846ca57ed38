package io.drover.it;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A handler that records every execution and holds it until the test opens the gate, so a test can
 * fault a worker while it is known to be mid-task. Waiting is bounded so no test hangs.
 */
final class Gate implements TaskHandler {
    record Execution(String taskId, int attempt, String workerId, long fencingToken) {}

    private final CountDownLatch open = new CountDownLatch(1);
    private final boolean ignoreInterrupts;
    final List<Execution> executions = new CopyOnWriteArrayList<>();
    final Map<String, Integer> finished = new ConcurrentHashMap<>();

    Gate(boolean ignoreInterrupts) {
        this.ignoreInterrupts = ignoreInterrupts;
    }

    void open() {
        open.countDown();
    }

    @Override
    public Object handle(TaskContext ctx) throws Exception {
        executions.add(
                new Execution(ctx.taskId(), ctx.attempt(), ctx.workerId(), ctx.fencingToken()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (open.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                        || System.nanoTime() >= deadline) {
                    break;
                }
            } catch (InterruptedException e) {
                if (!ignoreInterrupts) {
                    throw e;
                }
            }
        }
        finished.merge(ctx.workerId(), 1, Integer::sum);
        return Map.of("ranOn", ctx.workerId(), "attempt", ctx.attempt());
    }

    long executionsOn(String workerId) {
        return executions.stream().filter(e -> e.workerId().equals(workerId)).count();
    }
}
