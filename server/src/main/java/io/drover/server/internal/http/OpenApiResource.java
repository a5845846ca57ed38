package io.drover.server.internal.http;

import io.drover.server.auth.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code GET /v1/openapi.yaml}: the OpenAPI 3 description of this API (a test keeps it in step with
 * the resources).
 */
@Path("/v1/openapi.yaml")
@RolesAllowed(Role.Name.READER)
public final class OpenApiResource {
    public static final String RESOURCE = "/io/drover/server/openapi.yaml";

    @GET
    @Produces("application/yaml")
    public byte[] get() throws IOException {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the server jar");
            }
            return in.readAllBytes();
        }
    }
}
