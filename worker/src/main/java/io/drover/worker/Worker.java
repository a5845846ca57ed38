package io.drover.worker;

import io.drover.model.WorkerState;
import java.io.Closeable;
import java.util.concurrent.CompletableFuture;

/**
 * An embeddable Drover worker: announces itself (ephemeral {@code workers/<id>}), watches only its
 * own assignment folder, claims tasks with ephemeral nodes, runs handlers on a bounded executor it
 * owns and commits results with fenced {@code multi}s that ZooKeeper rejects if the claim was lost.
 *
 * <pre>{@code
 * Worker worker = Worker.builder()
 *         .connectString("localhost:2181")
 *         .cluster("default")
 *         .capacity(8)
 *         .handler("resize-image", ctx -> resize(ctx.payloadAs(ResizeRequest.class)))
 *         .build();
 * worker.start();
 * ...
 * worker.close(); // hands back unfinished attempts and closes the session at once
 * }</pre>
 *
 * <p>Lifecycle: {@link #start()} once (blocks until the worker is announced), {@link #close()}
 * idempotent. Thread-safe.
 */
public interface Worker extends Closeable {
    static WorkerBuilder builder() {
        return new WorkerBuilder();
    }

    /**
     * Connects if needed, creates the layout, announces the worker and starts taking tasks.
     * Blocking.
     */
    void start();

    String id();

    /** ACTIVE, or DRAINING once {@link #drain()} was called. */
    WorkerState state();

    /** Attempts claimed and not yet committed or handed back. */
    int runningCount();

    /**
     * Stops taking new tasks (announced as DRAINING) and lets running ones finish; those still
     * running after the drain grace ({@link WorkerBuilder#drainGrace}) are handed back, to run
     * elsewhere. The future completes when nothing runs any more; the worker stays announced (as
     * DRAINING) until {@link #close()}. A drain requested through the API ({@code drains/<id>})
     * also leaves the cluster once drained: the worker closes itself.
     */
    CompletableFuture<Void> drain();

    /**
     * Items this worker has loaded and announced ({@code served/<id>/<item>}); empty without an
     * item handler.
     */
    java.util.Set<String> servedItems();

    /** Adds a listener of attempt events; thread-safe. */
    void addListener(WorkerListener listener);

    /** Removes a listener added before (no effect otherwise); thread-safe. */
    void removeListener(WorkerListener listener);

    /**
     * The znodes this worker found corrupt and skipped (assignments, load/drop commands).
     * Thread-safe.
     */
    io.drover.protocol.CorruptNodes corruptNodes();

    /**
     * Stops taking tasks, interrupts running handlers and hands their attempts back (they run
     * elsewhere without waiting for a session timeout), then closes the session if the worker owns
     * the client. Blocks for at most the configured shutdown timeout.
     */
    @Override
    void close();
}
