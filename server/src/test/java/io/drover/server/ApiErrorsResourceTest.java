package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.drover.model.TaskConflictException;
import io.drover.model.ZooKeeperUnavailableException;
import io.drover.server.api.ErrorResponse;
import io.drover.server.internal.http.ApiErrors;
import io.drover.server.internal.http.OpenApiResource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Resource-level tests (Dropwizard's in-memory Jersey): how failures become JSON errors, with no
 * ZooKeeper involved.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiErrorsResourceTest {
    /** Throws what its path names. */
    @Path("/throw")
    public static final class Thrower {
        @GET
        @Path("{what}")
        public String fail(@PathParam("what") String what) {
            switch (what) {
                case "conflict" -> throw new TaskConflictException("t-1");
                case "zk" ->
                        throw new ZooKeeperUnavailableException(
                                "cannot read: ZooKeeper CONNECTIONLOSS, retry later", null);
                default -> throw new IllegalStateException("a bug with a secret inside");
            }
        }
    }

    static final ResourceExtension RESOURCES =
            ResourceExtension.builder()
                    .setRegisterDefaultExceptionMappers(false)
                    .addProvider(new ApiErrors())
                    .addResource(new Thrower())
                    .addResource(new OpenApiResource())
                    .build();

    @Test
    void conflict_is409() {
        Response r = RESOURCES.target("/throw/conflict").request().get();
        assertThat(r.getStatus()).isEqualTo(409);
        assertThat(r.readEntity(ErrorResponse.class).error()).isEqualTo("conflict");
    }

    @Test
    void zooKeeperTrouble_is503_retryable_withRetryAfter() {
        Response r = RESOURCES.target("/throw/zk").request().get();
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(r.readEntity(ErrorResponse.class).retryable()).isTrue();
    }

    @Test
    void aBug_is500_withAnErrorIdAndNoDetailsOrStack() {
        Response r = RESOURCES.target("/throw/bug").request().get();
        assertThat(r.getStatus()).isEqualTo(500);
        ErrorResponse e = r.readEntity(ErrorResponse.class);
        assertThat(e.message())
                .matches("internal error [0-9a-f]{8}; the server log has the details")
                .doesNotContain("secret");
    }

    @Test
    void openApiDocument_isServedAsYaml() {
        Response r = RESOURCES.target("/v1/openapi.yaml").request().get();
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.readEntity(String.class)).startsWith("openapi: 3.0.3");
    }
}
