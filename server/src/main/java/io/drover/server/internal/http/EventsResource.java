package io.drover.server.internal.http;

import io.drover.model.InvalidTaskException;
import io.drover.server.auth.Role;
import io.drover.server.internal.events.EventFilter;
import io.drover.server.internal.events.EventStreams;
import io.drover.server.internal.events.FeedEvent;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.function.Supplier;

/**
 * {@code GET /v1/events}: the cluster's changes as Server-Sent Events, fed by the coordinator's one
 * set of watches (see {@code docs/api.md#events}).
 */
@Path("/v1/events")
@RolesAllowed(Role.Name.READER)
public final class EventsResource {
    private static final int RETRY_AFTER_S = 5;

    private final Supplier<EventStreams> streams;

    /**
     * @param streams the server's streams; they exist once the server has started
     */
    public EventsResource(Supplier<EventStreams> streams) {
        this.streams = streams;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(
            @QueryParam("kinds") String kinds,
            @QueryParam("types") String types,
            @QueryParam("ids") String ids,
            @QueryParam("idPrefix") String idPrefix,
            @QueryParam("labels") String labels,
            @QueryParam("lastEventId") String lastEventIdParam,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @Context SseEventSink sink,
            @Context Sse sse) {
        EventFilter filter = EventFilter.parse(kinds, types, ids, idPrefix, labels);
        // EventSource sends the header when it reconnects by itself; a page that reconnects by hand
        // can only use the query.
        String resume =
                lastEventId != null && !lastEventId.isEmpty() ? lastEventId : lastEventIdParam;
        Long zxid = null;
        if (resume != null && !resume.isEmpty()) {
            zxid = FeedEvent.parseId(resume);
            if (zxid == null) {
                throw new InvalidTaskException(
                        "Last-Event-ID",
                        "must be an event id (16 hex digits), was " + TasksResource.clip(resume));
            }
        }
        EventStreams s = streams.get();
        if (s == null || !s.open(sink, sse, filter, zxid)) {
            throw new ServiceUnavailableException(
                    s == null
                            ? "the server is still starting"
                            : "this coordinator streams to as many subscribers as it may; try another or later",
                    (long) RETRY_AFTER_S);
        }
    }
}
