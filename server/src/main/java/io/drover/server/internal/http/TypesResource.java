package io.drover.server.internal.http;

import io.drover.model.DroverException;
import io.drover.model.InvalidTaskException;
import io.drover.model.TypePolicy;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.server.api.DeleteTypeResponse;
import io.drover.server.api.PutTypeRequest;
import io.drover.server.api.TypeList;
import io.drover.server.api.TypeView;
import io.drover.server.auth.Role;
import io.drover.server.internal.TypeCatalog;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * {@code /v1/types}: task type policies (concurrency limit, rate limit, circuit breaker and what it
 * does while open, cap on live tasks), breaker states and per-type counts. Writes are ZooKeeper
 * writes, so any coordinator serves them; the leader watches {@code types/} and enforces a change
 * at once. Optimistic concurrency: every answer that shows a policy carries its version as {@code
 * ETag}; a PUT or DELETE with {@code If-Match} only applies at that version, and a PUT with {@code
 * If-None-Match: *} only creates (412 otherwise). The catalog blocks; Jersey threads may.
 */
@Path("/v1/types")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Name.READER)
public final class TypesResource {
    private final TypeCatalog catalog;

    public TypesResource(TypeCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    public TypeList list() throws Exception {
        return new TypeList(ZooKeeperCalls.call("list task types", catalog::list));
    }

    @GET
    @Path("{type}")
    public Response get(@PathParam("type") String type) throws Exception {
        TypeView view =
                ZooKeeperCalls.call("read task type " + type, () -> catalog.get(type))
                        .orElseThrow(() -> new NoSuchTypeException(type));
        return tagged(Response.ok(view), view).build();
    }

    /** Sets the type's whole policy: 201 when the type had none, 200 when it replaced one. */
    @RolesAllowed(Role.Name.OPERATOR)
    @PUT
    @Path("{type}")
    public Response put(
            @PathParam("type") String type,
            @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("If-None-Match") String ifNoneMatch,
            PutTypeRequest body)
            throws Exception {
        boolean createOnly = ifNoneMatch != null;
        if (createOnly && !ifNoneMatch.strip().equals("*")) {
            throw new InvalidTaskException(
                    "If-None-Match",
                    "must be * (create only), was " + TasksResource.clip(ifNoneMatch));
        }
        if (createOnly && ifMatch != null) {
            throw new InvalidTaskException(
                    "If-None-Match", "cannot go with If-Match: a policy either exists or not");
        }
        if (body == null) {
            throw new InvalidTaskException(
                    "body",
                    "is required: a JSON object such as {\"maxConcurrent\": 4}; {} means no limits");
        }
        TypePolicy policy = body.toPolicy();
        TypeCatalog.PutResult r =
                ZooKeeperCalls.call(
                        "set the policy of type " + type,
                        () -> catalog.put(type, policy, ifMatch, createOnly));
        Response.ResponseBuilder out =
                r.created() ? Response.created(URI.create("/v1/types/" + type)) : Response.ok();
        return tagged(out.entity(r.type()), r.type()).build();
    }

    /** Removes the type's policy; 404 when it has none. */
    @RolesAllowed(Role.Name.OPERATOR)
    @DELETE
    @Path("{type}")
    public DeleteTypeResponse delete(
            @PathParam("type") String type, @HeaderParam("If-Match") String ifMatch)
            throws Exception {
        if (!ZooKeeperCalls.call(
                "delete the policy of type " + type, () -> catalog.delete(type, ifMatch))) {
            throw new NoSuchTypeException(type, "has no policy");
        }
        return new DeleteTypeResponse(type, true);
    }

    private static Response.ResponseBuilder tagged(Response.ResponseBuilder r, TypeView view) {
        return view.policyVersion() == null
                ? r
                : r.tag(new EntityTag(String.valueOf(view.policyVersion())));
    }

    /** A 404: nothing is known of that type. */
    static final class NoSuchTypeException extends DroverException {
        private static final long serialVersionUID = 1L;

        NoSuchTypeException(String type) {
            this(type, "has no policy, no breaker state and no task not yet ended");
        }

        NoSuchTypeException(String type, String why) {
            super("type " + type + " " + why + "; GET /v1/types lists the known ones", false);
        }
    }
}
