package io.drover.server.internal.http;

import io.drover.model.DroverException;
import io.drover.store.TaskStore;
import java.util.concurrent.Callable;

/** Runs a blocking ZooKeeper read for a request, turning ZooKeeper's exceptions into Drover's (retryable or not). */
final class ZooKeeperCalls {
    private ZooKeeperCalls() {}

    static <T> T call(String what, Callable<T> call) throws InterruptedException {
        try {
            return call.call();
        } catch (DroverException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw TaskStore.translate(what, e);
        }
    }
}
