package io.drover.server.internal.http;

import io.drover.model.DroverException;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.server.api.DrainResponse;
import io.drover.server.api.WorkerList;
import io.drover.server.api.WorkerView;
import io.drover.server.auth.Role;
import io.drover.server.internal.ClusterReader;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /v1/workers}: live workers and drain requests. */
@Path("/v1/workers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Name.READER)
public final class WorkersResource {
    private final ClusterReader reader;

    public WorkersResource(ClusterReader reader) {
        this.reader = reader;
    }

    @GET
    public WorkerList list() throws Exception {
        return new WorkerList(ZooKeeperCalls.call("list workers", reader::workers));
    }

    @GET
    @Path("{id}")
    public WorkerView get(@PathParam("id") String id) throws Exception {
        return ZooKeeperCalls.call("read worker " + id, () -> reader.worker(id))
                .orElseThrow(() -> noWorker(id));
    }

    /**
     * Asks the worker to take nothing new and finish what it runs (202); 404 if no such worker is
     * live.
     */
    @RolesAllowed(Role.Name.OPERATOR)
    @POST
    @Path("{id}/drain")
    public Response drain(@PathParam("id") String id) throws Exception {
        DrainResponse r =
                ZooKeeperCalls.call("drain worker " + id, () -> reader.requestDrain(id))
                        .orElseThrow(() -> noWorker(id));
        return Response.status(r.outcome().equals("REQUESTED") ? 202 : 200).entity(r).build();
    }

    private static DroverException noWorker(String id) {
        return new NoSuchWorkerException(id);
    }

    /** A 404: no live worker has that id. */
    static final class NoSuchWorkerException extends DroverException {
        private static final long serialVersionUID = 1L;

        NoSuchWorkerException(String id) {
            super("no live worker " + id + "; GET /v1/workers lists them", false);
        }
    }
}
