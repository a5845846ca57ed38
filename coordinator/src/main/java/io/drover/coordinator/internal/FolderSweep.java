package io.drover.coordinator.internal;

import io.drover.model.CorruptZnodeException;
import io.drover.protocol.ZnodeKind;
import io.drover.protocol.Znodes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what departed workers leave behind: their empty {@code assignments/}, {@code loadqueue/}
 * and {@code served/} folders and their {@code drains/} request. Workers with generated ids would
 * otherwise leak a few znodes per restart. A folder goes once this leader has seen its worker
 * without a node for the grace period (a worker cut off past its session comes back with a new one
 * well within it) and the folder has not changed for as long; the delete is fenced by the leader's
 * epoch and by the folder's version, and a worker touches its folders when it starts and after
 * every reconnect, so one coming back keeps or re-creates them. Runs on the leader's thread with
 * the retention pass.
 */
final class FolderSweep {
    private static final Logger LOG = LoggerFactory.getLogger(FolderSweep.class);

    private final LeaderContext ctx;
    private final long graceMs;

    /** When this leader first saw each worker without a node; a worker seen again is forgotten. */
    private final Map<String, Long> absentSinceMs = new HashMap<>();

    FolderSweep(LeaderContext ctx, long graceMs) {
        this.ctx = ctx;
        this.graceMs = graceMs;
    }

    /**
     * Returns how many deletes it sent. Blocking reads of the folder lists; a few per departed
     * worker.
     */
    int sweep() {
        int sent = 0;
        long now = System.currentTimeMillis();
        absentSinceMs.keySet().removeIf(ctx.view()::hasWorker);
        try {
            for (String root :
                    List.of(
                            ctx.paths().assignments(),
                            ctx.paths().loadQueue(),
                            ctx.paths().served(),
                            ctx.paths().drains())) {
                for (String workerId : ctx.client().getChildren().forPath(root)) {
                    if (!ctx.view().hasWorker(workerId)
                            && now - absentSinceMs.computeIfAbsent(workerId, w -> now) >= graceMs
                            && sweep(root + "/" + workerId, now)) {
                        sent++;
                    }
                }
            }
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt(); // the term is ending: not a failure to report
        } catch (Exception e) {
            LOG.warn("sweep of departed workers' folders failed: {}", e.toString());
        }
        return sent;
    }

    private boolean sweep(String path, long now) throws Exception {
        try {
            Znodes.idName(ZnodeKind.FOLDER, path);
        } catch (CorruptZnodeException notOurs) {
            return false; // not a worker's; drover fsck reports it
        }
        Stat stat = ctx.client().checkExists().forPath(path);
        if (stat == null || stat.getNumChildren() > 0 || now - stat.getMtime() < graceMs) {
            return false;
        }
        ctx.writer()
                .submit(List.of(ctx.op().delete().withVersion(stat.getVersion()).forPath(path)))
                .whenComplete(
                        (r, e) -> {
                            // one that changed, filled or vanished meanwhile is looked at again by
                            // the next sweep
                            LOG.debug(
                                    e == null ? "deleted {} of a departed worker" : "left {} ({})",
                                    path,
                                    e == null ? "" : e.toString());
                        });
        return true;
    }
}
