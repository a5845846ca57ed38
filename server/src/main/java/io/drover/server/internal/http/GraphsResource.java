package io.drover.server.internal.http;

import io.drover.client.DroverClient;
import io.drover.model.GraphNotFoundException;
import io.drover.model.GraphRecord;
import io.drover.model.InvalidTaskException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.server.api.GraphActionResponse;
import io.drover.server.api.GraphList;
import io.drover.server.api.GraphSubmitRequest;
import io.drover.server.api.GraphView;
import io.drover.server.api.SubmitRequest;
import io.drover.server.auth.Role;
import io.drover.server.internal.auth.Caller;
import io.drover.store.GraphStore;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code /v1/graphs}: submit a graph of tasks as a unit, list graphs, show one with its tasks,
 * cancel one, re-run one from its failed tasks ({@link GraphStore}). Straight to ZooKeeper, so any
 * coordinator serves it; blocking, on the request's thread.
 */
@Path("/v1/graphs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Name.READER)
public final class GraphsResource {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    private static final String TOKEN_VERSION = "g1/";

    private final Supplier<DroverClient> clients;

    /**
     * @param clients the server's client; it exists once the server has started
     */
    public GraphsResource(Supplier<DroverClient> clients) {
        this.clients = clients;
    }

    /** 201 once the graph is sealed; 400 naming a bad field, an unknown id or a cycle. */
    @RolesAllowed(Role.Name.SUBMITTER)
    @POST
    public Response submit(GraphSubmitRequest body, @Context SecurityContext caller) {
        if (body == null || body.tasks() == null || body.tasks().isEmpty()) {
            throw new InvalidTaskException(
                    "tasks", "is required: {\"tasks\": [ ... ]}, one task at least");
        }
        if (body.tasks().size() > GraphRecord.MAX_TASKS) {
            throw new InvalidTaskException(
                    "tasks",
                    "must hold at most " + GraphRecord.MAX_TASKS + ", held " + body.tasks().size());
        }
        List<TaskSpec> specs = new ArrayList<>(body.tasks().size());
        for (int i = 0; i < body.tasks().size(); i++) {
            SubmitRequest t = body.tasks().get(i);
            if (t == null) {
                throw new InvalidTaskException("tasks[" + i + "]", "must be a task object");
            }
            specs.add(t.toSpec("tasks[" + i + "]."));
        }
        String id = graphs().submit(body.id(), specs, Caller.quotaOf(caller));
        return Response.created(URI.create("/v1/graphs/" + id))
                .entity(new GraphActionResponse(id, specs.size(), "RUNNING"))
                .build();
    }

    @GET
    public GraphList list(
            @QueryParam("limit") String limit, @QueryParam("pageToken") String pageToken) {
        int n = DEFAULT_LIMIT;
        if (limit != null && !limit.isEmpty()) {
            n = limit.matches("\\d{1,4}") ? Integer.parseInt(limit) : -1;
            if (n < 1 || n > MAX_LIMIT) {
                throw new InvalidTaskException(
                        "limit",
                        "must be a number from 1 to "
                                + MAX_LIMIT
                                + ", was "
                                + TasksResource.clip(limit));
            }
        }
        GraphStore.GraphPage page = graphs().list(after(pageToken), n);
        List<GraphView> out = page.graphs().stream().map(GraphView::of).toList();
        return new GraphList(out, page.next() == null ? null : token(page.next()));
    }

    @GET
    @Path("{id}")
    public GraphView get(@PathParam("id") String id) {
        GraphRecord g = graphs().get(id).orElseThrow(() -> new GraphNotFoundException(id)).value();
        List<TaskStatus> statuses = graphs().statuses(g);
        Map<String, Integer> counts = new TreeMap<>();
        List<GraphView.Member> members = new ArrayList<>(statuses.size());
        for (int i = 0; i < statuses.size(); i++) {
            TaskStatus s = statuses.get(i);
            String state = s == null ? TaskLinks.GONE : s.state().name();
            counts.merge(state, 1, Integer::sum);
            members.add(
                    new GraphView.Member(
                            g.tasks().get(i),
                            s == null ? null : s.type(),
                            state,
                            g.dependenciesOf(i)));
        }
        return GraphView.of(g).withTasks(counts, members);
    }

    /** 202: every task not ended is asked to stop (their dependents are cancelled in turn). */
    @RolesAllowed(Role.Name.SUBMITTER)
    @POST
    @Path("{id}/cancel")
    public Response cancel(@PathParam("id") String id) {
        int asked = graphs().cancel(id);
        return Response.accepted(new GraphActionResponse(id, asked, state(id))).build();
    }

    /** 200 with how many tasks run again; 409 for a graph that runs or has nothing to re-run. */
    @RolesAllowed(Role.Name.SUBMITTER)
    @POST
    @Path("{id}/rerun")
    public GraphActionResponse rerun(@PathParam("id") String id, @Context SecurityContext caller) {
        int again = graphs().rerun(id, Caller.quotaOf(caller));
        return new GraphActionResponse(id, again, "RUNNING");
    }

    private String state(String id) {
        return graphs().get(id).map(g -> g.value().state().name()).orElse("GONE");
    }

    private GraphStore graphs() {
        DroverClient c = clients.get();
        if (c == null) {
            throw new io.drover.model.ZooKeeperUnavailableException(
                    "the server is still starting", null);
        }
        return c.graphs();
    }

    private static String token(String lastId) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((TOKEN_VERSION + lastId).getBytes(StandardCharsets.UTF_8));
    }

    private static String after(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (raw.startsWith(TOKEN_VERSION) && raw.length() > TOKEN_VERSION.length()) {
                return raw.substring(TOKEN_VERSION.length());
            }
        } catch (IllegalArgumentException e) {
            // not base64: refused below
        }
        throw new InvalidTaskException(
                "pageToken", "is not a token this server handed out; list again without one");
    }
}
