package io.drover.server.internal.http;

import io.drover.model.DroverException;
import io.drover.model.InvalidTaskException;
import io.drover.model.ItemSpec;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.server.api.DeleteItemResponse;
import io.drover.server.api.ItemList;
import io.drover.server.api.ItemView;
import io.drover.server.api.PutItemRequest;
import io.drover.server.auth.Role;
import io.drover.store.ItemStatus;
import io.drover.store.ItemStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * {@code /v1/items}: declare, inspect and remove load/drop items. Declarations are ZooKeeper writes
 * (versioned compare-and-sets in {@link ItemStore}), so any coordinator serves them, and the leader
 * converges the served replicas whenever it leads. The store blocks; Jersey threads may.
 */
@Path("/v1/items")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Name.READER)
public final class ItemsResource {
    private final ItemStore store;

    public ItemsResource(ItemStore store) {
        this.store = store;
    }

    @GET
    public ItemList list() throws Exception {
        List<ItemStatus> items = ZooKeeperCalls.call("list items", store::list);
        return new ItemList(items.stream().map(ItemView::of).toList());
    }

    @GET
    @Path("{id}")
    public ItemView get(@PathParam("id") String id) throws Exception {
        return ItemView.of(
                ZooKeeperCalls.call("read item " + id, () -> store.get(id))
                        .orElseThrow(() -> new NoSuchItemException(id)));
    }

    /**
     * Creates the item (201) or sets its replicas and labels (200; {@code changed} says whether
     * anything was written).
     */
    @RolesAllowed(Role.Name.OPERATOR)
    @PUT
    @Path("{id}")
    public Response put(@PathParam("id") String id, PutItemRequest body) throws Exception {
        if (body == null) {
            throw new InvalidTaskException(
                    "body", "is required: a JSON object with at least \"replicas\"");
        }
        ItemSpec requested = body.toItem(id);
        ItemStore.PutResult r = ZooKeeperCalls.call("put item " + id, () -> store.put(requested));
        // Who serves it now (an update keeps its replicas); a new item has nobody yet, so nothing
        // to read.
        ItemStatus now =
                r.created()
                        ? new ItemStatus(r.item(), List.of(), List.of(), List.of())
                        : ZooKeeperCalls.call("read item " + id, () -> store.statusOf(r.item()));
        ItemView view = ItemView.of(now).withPutOutcome(r.created(), r.changed());
        return r.created()
                ? Response.created(URI.create("/v1/items/" + id)).entity(view).build()
                : Response.ok(view).build();
    }

    /**
     * Removes the item; the leader then drops it from every worker. 404 if there is no such item.
     */
    @RolesAllowed(Role.Name.OPERATOR)
    @DELETE
    @Path("{id}")
    public DeleteItemResponse delete(@PathParam("id") String id) throws Exception {
        if (!ZooKeeperCalls.call("delete item " + id, () -> store.delete(id))) {
            throw new NoSuchItemException(id);
        }
        return new DeleteItemResponse(id, true);
    }

    /** A 404: no item has that id. */
    static final class NoSuchItemException extends DroverException {
        private static final long serialVersionUID = 1L;

        NoSuchItemException(String id) {
            super("no item " + id + "; GET /v1/items lists them", false);
        }
    }
}
