package io.drover.server.internal.http;

import io.drover.client.CancelResult;
import io.drover.client.DroverClient;
import io.drover.client.PendingExplanation;
import io.drover.model.DroverException;
import io.drover.model.InvalidTaskException;
import io.drover.model.Names;
import io.drover.model.TaskNotFoundException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.server.api.BatchSubmitRequest;
import io.drover.server.api.BatchSubmitResponse;
import io.drover.server.api.CancelResponse;
import io.drover.server.api.SubmitRequest;
import io.drover.server.api.SubmitResponse;
import io.drover.server.api.TaskPage;
import io.drover.server.api.TaskView;
import io.drover.server.auth.Role;
import io.drover.server.internal.ClusterReader;
import io.drover.server.internal.metrics.ApiMetrics;
import io.drover.store.SubmitResult;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code /v1/tasks}: submit, list, inspect and cancel tasks. Writes go straight to ZooKeeper, so
 * any coordinator serves them.
 */
@Path("/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Name.READER)
public final class TasksResource {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;
    private static final long ZK_WAIT_S = 30;

    private final Supplier<DroverClient> clients;
    private final ClusterReader reader;
    private final int maxBatch;
    private final ApiMetrics metrics;

    /**
     * @param clients the server's client; it exists once the server has started, before requests
     *     are served
     */
    public TasksResource(
            Supplier<DroverClient> clients,
            ClusterReader reader,
            int maxBatch,
            ApiMetrics metrics) {
        this.clients = clients;
        this.reader = reader;
        this.maxBatch = maxBatch;
        this.metrics = metrics;
    }

    @RolesAllowed(Role.Name.SUBMITTER)
    @POST
    public Response submit(SubmitRequest body, @Context SecurityContext caller) throws Exception {
        if (body == null) {
            throw new InvalidTaskException(
                    "body", "is required: a JSON object with at least a \"type\"");
        }
        SubmitResult r =
                await(client().store().submit(body.toSpec(""), quotaOf(caller)), "submit a task");
        if (r.created()) {
            metrics.created(body.type());
        }
        SubmitResponse out = SubmitResponse.ok(r.taskId(), r.created());
        return r.created()
                ? Response.created(URI.create("/v1/tasks/" + r.taskId())).entity(out).build()
                : Response.ok(out).build();
    }

    @RolesAllowed(Role.Name.SUBMITTER)
    @POST
    @Path("batch")
    public BatchSubmitResponse submitBatch(BatchSubmitRequest body, @Context SecurityContext caller)
            throws Exception {
        if (body == null || body.tasks() == null) {
            throw new InvalidTaskException("tasks", "is required: {\"tasks\": [ ... ]}");
        }
        if (body.tasks().isEmpty() || body.tasks().size() > maxBatch) {
            throw new InvalidTaskException(
                    "tasks", "must hold 1 to " + maxBatch + " tasks, held " + body.tasks().size());
        }
        // Validate everything first: a batch with one bad task writes nothing, and the error names
        // it.
        List<TaskSpec> specs = new ArrayList<>(body.tasks().size());
        for (int i = 0; i < body.tasks().size(); i++) {
            SubmitRequest t = body.tasks().get(i);
            if (t == null) {
                throw new InvalidTaskException(
                        "tasks[" + i + "]", "must be a task object, was null");
            }
            specs.add(t.toSpec("tasks[" + i + "]."));
        }
        List<CompletableFuture<SubmitResult>> futures =
                client().store().submitAll(specs, quotaOf(caller));
        List<SubmitResponse> results = new ArrayList<>(futures.size());
        int accepted = 0;
        for (int i = 0; i < futures.size(); i++) {
            try {
                SubmitResult r = await(futures.get(i), "submit a task");
                results.add(
                        new SubmitResponse(r.taskId(), r.created(), r.created() ? 201 : 200, null));
                accepted++;
                if (r.created()) {
                    metrics.created(specs.get(i).type());
                }
            } catch (DroverException e) {
                results.add(
                        new SubmitResponse(
                                specs.get(i).id(), null, ApiErrors.statusOf(e), e.getMessage()));
            }
        }
        return new BatchSubmitResponse(accepted, futures.size() - accepted, results);
    }

    @GET
    public TaskPage list(
            @QueryParam("state") String state,
            @QueryParam("type") String type,
            @QueryParam("limit") String limit,
            @QueryParam("pageToken") String pageToken)
            throws Exception {
        TaskState s = null;
        if (state != null && !state.isEmpty()) {
            try {
                s = TaskState.valueOf(state.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidTaskException(
                        "state",
                        "must be one of "
                                + Arrays.toString(TaskState.values())
                                + ", was "
                                + clip(state));
            }
        }
        if (type != null && !type.isEmpty()) {
            Names.checkName("type", type);
        }
        int n = DEFAULT_LIMIT;
        if (limit != null && !limit.isEmpty()) {
            try {
                n = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_LIMIT) {
                throw new InvalidTaskException(
                        "limit",
                        "must be a number from 1 to " + MAX_LIMIT + ", was " + clip(limit));
            }
        }
        TaskState state0 = s;
        int limit0 = n;
        return ZooKeeperCalls.call(
                "list tasks",
                () ->
                        reader.list(
                                state0,
                                type == null || type.isEmpty() ? null : type,
                                limit0,
                                pageToken));
    }

    @GET
    @Path("{id}")
    public TaskView get(@PathParam("id") String id) throws Exception {
        Optional<Versioned<TaskStatus>> status =
                await(client().store().status(id), "read task " + id);
        TaskStatus s = status.orElseThrow(() -> new TaskNotFoundException(id)).value();
        Optional<TaskSpec> spec = await(client().store().spec(id), "read task " + id);
        String waiting = null;
        if (s.state() == TaskState.PENDING) {
            PendingExplanation why = client().explain(id);
            waiting =
                    why.reason() == PendingExplanation.Reason.NOT_PENDING
                            ? null
                            : why.reason() + ": " + why.detail();
        }
        TaskView view = TaskView.of(s);
        view = spec.map(view::withSpec).orElse(view).withWaitingFor(waiting);
        return spec.isEmpty() ? view : TaskLinks.withLinks(client(), view, spec.get());
    }

    @RolesAllowed(Role.Name.SUBMITTER)
    @POST
    @Path("{id}/cancel")
    public Response cancel(@PathParam("id") String id) throws Exception {
        CancelResult r = await(client().cancel(id), "cancel task " + id);
        CancelResponse out = new CancelResponse(id, r.outcome().name(), r.state().name());
        return Response.status(r.outcome() == CancelResult.Outcome.REQUESTED ? 202 : 200)
                .entity(out)
                .build();
    }

    private DroverClient client() {
        DroverClient c = clients.get();
        if (c == null) {
            throw new io.drover.model.ZooKeeperUnavailableException(
                    "the server is still starting", null);
        }
        return c;
    }

    static <T> T await(CompletableFuture<T> f, String what) throws InterruptedException {
        try {
            return f.get(ZK_WAIT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw ZooKeeperCalls.translate(what, e.getCause());
        } catch (TimeoutException e) {
            throw new io.drover.model.ZooKeeperUnavailableException(
                    "cannot " + what + ": ZooKeeper did not answer within " + ZK_WAIT_S + " s", e);
        }
    }

    static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /**
     * An authenticated caller submits under its own name (recorded in the task) and its own cap; on
     * a server without authentication, nobody in particular.
     */
    private static io.drover.store.SubmitterQuota quotaOf(SecurityContext caller) {
        return caller != null
                        && caller.getUserPrincipal()
                                instanceof io.drover.server.internal.auth.Caller c
                ? new io.drover.store.SubmitterQuota(c.name(), c.maxLiveTasks())
                : null;
    }
}
