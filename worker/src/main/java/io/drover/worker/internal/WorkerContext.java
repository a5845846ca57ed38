package io.drover.worker.internal;

import io.drover.model.DroverPaths;
import io.drover.protocol.CorruptNodes;
import io.drover.protocol.runtime.MultiBatcher;
import io.drover.store.TaskStore;
import io.drover.worker.WorkerConfig;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;

/**
 * What every part of one worker shares: its config, its ZooKeeper client, paths, store and write
 * batcher, its threads, its corrupt-node guard, and the current session's id. Built once by {@link
 * WorkerImpl}, which owns (starts and closes) all of it.
 */
record WorkerContext(
        WorkerConfig config,
        CuratorFramework client,
        DroverPaths paths,
        TaskStore store,
        MultiBatcher batcher,
        WorkerThreads threads,
        CorruptNodes corrupt,
        LongSupplier sessionId) {

    String workerId() {
        return config.id();
    }

    /** The event thread, where every decision happens. */
    ExecutorService events() {
        return threads.events();
    }

    ScheduledExecutorService timer() {
        return threads.timer();
    }
}
