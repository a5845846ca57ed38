package io.drover.server.internal.http;

import io.drover.client.DroverClient;
import io.drover.model.InvalidTaskException;
import io.drover.model.Names;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.server.api.TaskLookup;
import io.drover.server.api.TaskView;
import io.drover.server.auth.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code POST /v1/tasks/batch/status}: reads up to 1,000 statuses at once, pipelined over one
 * ZooKeeper connection (a read of the caller's role, hence the POST only for the size of the list).
 */
@Path("/v1/tasks/batch/status")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Name.READER)
public final class TaskLookupResource {
    private final Supplier<DroverClient> clients;

    public TaskLookupResource(Supplier<DroverClient> clients) {
        this.clients = clients;
    }

    @POST
    public TaskLookup lookup(TaskLookup body) throws Exception {
        if (body == null || body.ids() == null || body.ids().isEmpty()) {
            throw new InvalidTaskException("ids", "is required: {\"ids\": [\"task-1\", ...]}");
        }
        if (body.ids().size() > TaskLookup.MAX_IDS) {
            throw new InvalidTaskException(
                    "ids",
                    "may name at most "
                            + TaskLookup.MAX_IDS
                            + " tasks, named "
                            + body.ids().size());
        }
        for (int i = 0; i < body.ids().size(); i++) {
            Names.checkId("ids[" + i + "]", body.ids().get(i));
        }
        DroverClient client = clients.get();
        if (client == null) {
            throw new io.drover.model.ZooKeeperUnavailableException(
                    "the server is still starting", null);
        }
        List<CompletableFuture<Optional<Versioned<TaskStatus>>>> reads = new ArrayList<>();
        body.ids().forEach(id -> reads.add(client.store().status(id)));
        List<TaskView> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < reads.size(); i++) {
            String id = body.ids().get(i);
            Optional<Versioned<TaskStatus>> s =
                    TasksResource.await(reads.get(i), "read task " + id);
            if (s.isPresent()) {
                found.add(TaskView.of(s.get().value()));
            } else {
                missing.add(id);
            }
        }
        return new TaskLookup(null, found, missing);
    }
}
