package io.drover.server.internal.http;

import io.drover.server.auth.Role;
import io.drover.worker.Worker;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code GET /v1/worker} on a worker server: this worker's id, state and running count. */
@Path("/v1/worker")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Name.READER)
public final class WorkerResource {
    private final Worker worker;

    public WorkerResource(Worker worker) {
        this.worker = worker;
    }

    @GET
    public Map<String, Object> get() {
        return Map.of(
                "id",
                worker.id(),
                "state",
                worker.state().name(),
                "running",
                worker.runningCount());
    }
}
