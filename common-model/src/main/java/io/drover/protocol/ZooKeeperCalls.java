package io.drover.protocol;

import io.drover.model.DroverException;
import io.drover.model.ZooKeeperUnavailableException;
import io.drover.store.StoreOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * The one helper for calling ZooKeeper and waiting on it: Drover's exceptions pass through,
 * ZooKeeper's become Drover's, saying whether retrying can help (a connection problem can, a bad
 * path cannot), and a blocking wait is bounded by {@link StoreOptions#ZK_CALL_TIMEOUT}.
 */
public final class ZooKeeperCalls {
    /** A blocking ZooKeeper call. */
    public interface Call<T> {
        T run() throws Exception;
    }

    private ZooKeeperCalls() {}

    /**
     * Runs a blocking call; an interrupt is restored and reported as a retryable unavailability.
     * Blocking.
     */
    public static <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZooKeeperUnavailableException("interrupted: " + what, e);
        } catch (Exception e) {
            throw translate(what, e);
        }
    }

    /**
     * Waits for a ZooKeeper future at most {@link StoreOptions#ZK_CALL_TIMEOUT}; a failure comes
     * out as its own cause. Blocking.
     */
    public static <T> T await(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(StoreOptions.ZK_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * The children of each folder, in the folders' order, listed with every call in flight at once
     * (a session's requests are pipelined, so a thousand listings cost about one round trip, not a
     * thousand); none for a folder that is not there. Blocking.
     */
    public static List<List<String>> children(CuratorFramework client, List<String> folders)
            throws Exception {
        List<CompletableFuture<List<String>>> listings = new ArrayList<>(folders.size());
        for (String folder : folders) {
            CompletableFuture<List<String>> f = new CompletableFuture<>();
            client.getChildren()
                    .inBackground(
                            (c, e) -> {
                                KeeperException.Code rc =
                                        KeeperException.Code.get(e.getResultCode());
                                if (rc == KeeperException.Code.OK) {
                                    f.complete(e.getChildren());
                                } else if (rc == KeeperException.Code.NONODE) {
                                    f.complete(List.of());
                                } else {
                                    f.completeExceptionally(KeeperException.create(rc, folder));
                                }
                            })
                    .forPath(folder);
            listings.add(f);
        }
        List<List<String>> out = new ArrayList<>(listings.size());
        for (CompletableFuture<List<String>> f : listings) {
            out.add(await(f));
        }
        return out;
    }

    /**
     * Whether a call failed for the connection or the session rather than for what it asked: a
     * {@link KeeperException} of connection loss, session expiry or move, timeout or read-only
     * mode, or the {@link IllegalStateException} of a client not (or no longer) started. Retrying
     * after a reconnect can help; callers may also know the outcome is unknown.
     */
    public static boolean isConnectionProblem(Throwable e) {
        Throwable cause = unwrap(e);
        return cause instanceof KeeperException ke && isConnectionCode(ke.code())
                || cause instanceof IllegalStateException;
    }

    private static boolean isConnectionCode(KeeperException.Code code) {
        return switch (code) {
            case CONNECTIONLOSS, SESSIONEXPIRED, OPERATIONTIMEOUT, SESSIONMOVED, NOTREADONLY ->
                    true;
            default -> false;
        };
    }

    /** Turns ZooKeeper exceptions into Drover's own, saying whether retrying can help. */
    public static RuntimeException translate(String what, Throwable e) {
        Throwable cause = unwrap(e);
        if (cause instanceof DroverException d) {
            return d;
        }
        if (cause instanceof KeeperException ke) {
            return isConnectionCode(ke.code())
                    ? new ZooKeeperUnavailableException(
                            "cannot " + what + ": ZooKeeper " + ke.code() + ", retry later", ke)
                    : new DroverException(
                            "cannot " + what + ": ZooKeeper said " + ke.code(), false, ke);
        }
        if (cause instanceof IllegalStateException ise) {
            return new ZooKeeperUnavailableException(
                    "cannot " + what + ": " + ise.getMessage(), ise);
        }
        return new ZooKeeperUnavailableException("cannot " + what + ": " + cause, cause);
    }

    /** The cause inside {@link CompletionException} wrappers. */
    public static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
