package io.drover.server.internal.http;

import io.drover.model.InvalidTaskException;
import io.drover.model.Schedule;
import io.drover.model.ScheduleNotFoundException;
import io.drover.server.api.DeleteScheduleResponse;
import io.drover.server.api.PutScheduleRequest;
import io.drover.server.api.ScheduleList;
import io.drover.server.api.ScheduleView;
import io.drover.server.auth.Role;
import io.drover.store.ScheduleStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * {@code /v1/schedules}: cron schedules whose ticks the leader fires as tasks. Writes are ZooKeeper
 * writes ({@link ScheduleStore}), so any coordinator serves them, and the leader watches {@code
 * schedules/}. Every answer that shows one schedule carries its revision as {@code ETag}; a PUT or
 * DELETE with {@code If-Match} only applies at that revision, and a PUT with {@code If-None-Match:
 * *} only creates (412 otherwise). The store blocks; Jersey threads may.
 */
@Path("/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Name.READER)
public final class SchedulesResource {
    private final ScheduleStore store;

    public SchedulesResource(ScheduleStore store) {
        this.store = store;
    }

    @GET
    public ScheduleList list() {
        long now = System.currentTimeMillis();
        return new ScheduleList(
                store.list().stream()
                        .map(
                                l ->
                                        l.schedule() == null
                                                ? ScheduleView.corrupt(l.id(), l.error())
                                                : ScheduleView.of(l.schedule(), now))
                        .toList());
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        Schedule s = store.get(id).orElseThrow(() -> new ScheduleNotFoundException(id));
        return tagged(Response.ok(), s).build();
    }

    /** Sets the whole definition: 201 when the schedule is new, 200 when it replaced one. */
    @RolesAllowed(Role.Name.OPERATOR)
    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(
            @PathParam("id") String id,
            @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("If-None-Match") String ifNoneMatch,
            PutScheduleRequest body) {
        boolean createOnly = ifNoneMatch != null;
        if (createOnly && !ifNoneMatch.strip().equals("*")) {
            throw new InvalidTaskException(
                    "If-None-Match",
                    "must be * (create only), was " + TasksResource.clip(ifNoneMatch));
        }
        if (createOnly && ifMatch != null) {
            throw new InvalidTaskException(
                    "If-None-Match", "cannot go with If-Match: a schedule either exists or not");
        }
        if (body == null) {
            throw new InvalidTaskException(
                    "body",
                    "is required: a JSON object such as {\"cron\": \"0 0 2 * * *\", \"task\":"
                            + " {\"type\": \"report\"}}");
        }
        ScheduleStore.PutResult r = store.put(body.toSchedule(id), ifMatch, createOnly);
        Response.ResponseBuilder out =
                r.created() ? Response.created(URI.create("/v1/schedules/" + id)) : Response.ok();
        return tagged(out, r.schedule()).build();
    }

    /** Removes the schedule; the tasks it fired stay. 404 when there is none. */
    @RolesAllowed(Role.Name.OPERATOR)
    @DELETE
    @Path("{id}")
    public DeleteScheduleResponse delete(
            @PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        if (!store.delete(id, ifMatch)) {
            throw new ScheduleNotFoundException(id);
        }
        return new DeleteScheduleResponse(id, true);
    }

    /** Stops firing until resumed; the ticks meanwhile are never fired. Idempotent. */
    @RolesAllowed(Role.Name.OPERATOR)
    @POST
    @Path("{id}/pause")
    public Response pause(@PathParam("id") String id) {
        return tagged(Response.ok(), store.pause(id)).build();
    }

    /** Fires again from the next tick on. Idempotent. */
    @RolesAllowed(Role.Name.OPERATOR)
    @POST
    @Path("{id}/resume")
    public Response resume(@PathParam("id") String id) {
        return tagged(Response.ok(), store.resume(id)).build();
    }

    private static Response.ResponseBuilder tagged(Response.ResponseBuilder r, Schedule s) {
        return r.entity(ScheduleView.of(s, System.currentTimeMillis()))
                .tag(new EntityTag(String.valueOf(s.revision())));
    }
}
