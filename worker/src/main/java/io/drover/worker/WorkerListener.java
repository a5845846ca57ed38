package io.drover.worker;

/** Hears about attempts. Called on the worker's event thread: return quickly, never block. */
@FunctionalInterface
public interface WorkerListener {
    void onEvent(TaskEvent event);
}
