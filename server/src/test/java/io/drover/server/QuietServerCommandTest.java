package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.server.internal.QuietServerCommand;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class QuietServerCommandTest {
    @Test
    void startFailure_isOneLineOfDistinctMessages_withoutExceptionClassNames() {
        Exception bind =
                new RuntimeException(
                        new IOException(
                                "Failed to bind to /0.0.0.0:8080",
                                new java.net.BindException("Address already in use")));
        assertThat(QuietServerCommand.describe(bind))
                .isEqualTo("Failed to bind to /0.0.0.0:8080: Address already in use");
    }
}
