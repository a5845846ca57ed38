package io.drover.store;

import io.drover.model.ItemSpec;
import java.util.List;

/**
 * An item's desired state next to what the cluster does about it, read from ZooKeeper at one moment
 * (not atomically: a move in progress may show an extra replica).
 *
 * @param item the desired state
 * @param servedBy workers whose session announces the item ({@code served/<w>/<id>}), sorted
 * @param loading workers with a LOAD command pending
 * @param dropping workers with a DROP command pending
 * @param problem why the item's znode does not validate (then {@code item} holds only its id), or
 *     null
 */
public record ItemStatus(
        ItemSpec item,
        List<String> servedBy,
        List<String> loading,
        List<String> dropping,
        String problem) {
    public ItemStatus(
            ItemSpec item, List<String> servedBy, List<String> loading, List<String> dropping) {
        this(item, servedBy, loading, dropping, null);
    }

    /**
     * SERVED, UNDER_REPLICATED, UNSERVED or OVER_REPLICATED, comparing served replicas to desired
     * ones; CORRUPT when the declaration cannot be read (the leader leaves its replicas alone).
     */
    public String health() {
        if (problem != null) {
            return "CORRUPT";
        }
        int served = servedBy.size();
        if (served == item.replicas()) {
            return "SERVED";
        }
        if (served > item.replicas()) {
            return "OVER_REPLICATED";
        }
        return served == 0 ? "UNSERVED" : "UNDER_REPLICATED";
    }
}
