package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.ItemSpec;
import io.drover.store.ItemStatus;
import java.util.List;
import java.util.Map;

/**
 * A load/drop item as the API and the CLI show it: its desired state next to what the cluster does
 * about it, read from ZooKeeper at one moment (not atomically: a move in progress may show an extra
 * replica for a while).
 *
 * @param replicas the desired number of replicas
 * @param served how many workers serve it now ({@code servedBy.size()})
 * @param servedBy workers that announce it served, sorted
 * @param loading workers with a LOAD command for it pending
 * @param dropping workers with a DROP command for it pending
 * @param state SERVED, UNDER_REPLICATED, UNSERVED, OVER_REPLICATED, or CORRUPT when its znode does
 *     not validate ({@link ItemStatus#health()})
 * @param spec what the handler loads, any JSON value; absent when the item has none
 * @param created only in {@code PUT} answers: true when this request declared the item (the answer
 *     is then a 201)
 * @param changed only in {@code PUT} answers: false when the request matched the stored item and
 *     nothing was written
 * @param error what is wrong with a CORRUPT item's znode; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemView(
        String id,
        int replicas,
        int served,
        List<String> servedBy,
        List<String> loading,
        List<String> dropping,
        String state,
        Map<String, String> labels,
        JsonNode spec,
        long createdAtMs,
        long updatedAtMs,
        Boolean created,
        Boolean changed,
        String error) {

    public static ItemView of(ItemStatus s) {
        ItemSpec i = s.item();
        return new ItemView(
                i.id(),
                i.replicas(),
                s.servedBy().size(),
                s.servedBy(),
                s.loading(),
                s.dropping(),
                s.health(),
                i.labels(),
                i.spec(),
                i.createdAtMs(),
                i.updatedAtMs(),
                null,
                null,
                s.problem());
    }

    /**
     * The view as a PUT answers it: whether the request created the item, and whether it wrote
     * anything.
     */
    public ItemView withPutOutcome(boolean isNew, boolean wrote) {
        return new ItemView(
                id,
                replicas,
                served,
                servedBy,
                loading,
                dropping,
                state,
                labels,
                spec,
                createdAtMs,
                updatedAtMs,
                isNew,
                wrote,
                error);
    }
}
