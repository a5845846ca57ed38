package io.drover.server.internal.http;

import io.drover.protocol.ZooKeeperCalls;
import io.drover.server.api.ClusterView;
import io.drover.server.auth.Role;
import io.drover.server.internal.ClusterReader;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /v1/cluster}: leader, epoch, coordinators and task counts. */
@Path("/v1/cluster")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Name.READER)
public final class ClusterResource {
    private final ClusterReader reader;

    public ClusterResource(ClusterReader reader) {
        this.reader = reader;
    }

    @GET
    public ClusterView get() throws Exception {
        return ZooKeeperCalls.call("read the cluster", reader::cluster);
    }
}
