package io.drover.worker;

/**
 * Loads and drops long-lived items (segments, shards, models...) that the leader places on this
 * worker. Calls run on the worker's item threads ({@code drover-worker-<id>-items-N}, as many as
 * {@link WorkerBuilder#itemConcurrency}), at most one call per item at a time, possibly
 * concurrently for different items. Each call is bounded by {@link WorkerBuilder#itemTimeout} (the
 * thread is interrupted) and retried with backoff up to {@link WorkerBuilder#itemMaxAttempts}
 * times.
 *
 * <p>Throw to fail a call. A LOAD that fails every attempt is reported to the leader, which tries
 * another worker. A DROP that fails every attempt is logged and the item is unannounced anyway: the
 * cluster must not count a replica the worker may no longer hold.
 *
 * <p>Both calls must be idempotent: after a session loss the leader may ask again for what the
 * worker already did.
 */
public interface ItemHandler {
    /** Makes the item available on this worker; return only once it is served. */
    void load(Item item) throws Exception;

    /** Releases the item; afterwards the worker no longer counts as serving it. */
    void drop(Item item) throws Exception;
}
