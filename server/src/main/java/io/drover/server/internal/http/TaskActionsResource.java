package io.drover.server.internal.http;

import io.drover.client.DroverClient;
import io.drover.model.TaskStatus;
import io.drover.server.api.RetryResponse;
import io.drover.server.auth.Role;
import io.drover.server.internal.auth.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.function.Supplier;

/**
 * Actions on one task beyond submit and cancel: {@code POST /v1/tasks/{id}/retry} runs a FAILED or
 * CANCELLED task again as a new series of attempts, its history kept. Straight to ZooKeeper, so any
 * coordinator serves it, leader or not; the leader dispatches it like any pending task. Retrying in
 * bulk is the CLI's ({@code drover retry --state FAILED}): it lists, then retries one by one.
 */
@Path("/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Name.SUBMITTER)
public final class TaskActionsResource {
    private final Supplier<DroverClient> clients;

    /**
     * @param clients the server's client; it exists once the server has started
     */
    public TaskActionsResource(Supplier<DroverClient> clients) {
        this.clients = clients;
    }

    /**
     * 200 with the new series; 404 for an unknown task; 409 for a task that is not FAILED or
     * CANCELLED (of concurrent retries one wins, the others get 409); 429 when the caps on live
     * tasks are reached, as for a submission.
     */
    @POST
    @Path("{id}/retry")
    public RetryResponse retry(@PathParam("id") String id, @Context SecurityContext caller)
            throws Exception {
        DroverClient c = clients.get();
        if (c == null) {
            throw new io.drover.model.ZooKeeperUnavailableException(
                    "the server is still starting", null);
        }
        TaskStatus again =
                TasksResource.await(
                        c.store().rerun(id, Caller.quotaOf(caller)), "retry task " + id);
        return new RetryResponse(id, again.state().name(), again.series(), again.maxAttempts());
    }
}
