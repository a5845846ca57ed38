package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.InvalidTaskException;
import io.drover.model.RetryPolicy;
import io.drover.model.TaskSpec;
import io.drover.server.api.SubmitRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubmitRequestTest {
    private static SubmitRequest withRetry(SubmitRequest.Retry retry) {
        return new SubmitRequest(
                null, "echo", null, null, null, null, null, null, null, retry, null, null, null);
    }

    @Test
    void partialRetryObject_keepsTheDefaultsForWhatItLeavesOut() {
        TaskSpec spec = withRetry(new SubmitRequest.Retry(50L, null, null, false)).toSpec("");
        assertThat(spec.retryPolicy())
                .isEqualTo(
                        new RetryPolicy(
                                50,
                                RetryPolicy.DEFAULT.maxBackoffMs(),
                                RetryPolicy.DEFAULT.multiplier(),
                                false));

        TaskSpec longWait =
                withRetry(new SubmitRequest.Retry(120_000L, null, null, null)).toSpec("");
        assertThat(longWait.retryPolicy().maxBackoffMs())
                .as("the cap follows a larger initial wait")
                .isEqualTo(120_000);
    }

    @Test
    void fieldNames_areTheApisOwn_andCarryTheBatchIndex() {
        SubmitRequest badLabel =
                new SubmitRequest(
                        null,
                        "echo",
                        null,
                        null,
                        null,
                        null,
                        Map.of("zone", "eu 1"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
        assertThatThrownBy(() -> badLabel.toSpec(""))
                .isInstanceOfSatisfying(
                        InvalidTaskException.class,
                        e -> assertThat(e.field()).isEqualTo("labels.zone"));
        assertThatThrownBy(() -> badLabel.toSpec("tasks[4]."))
                .isInstanceOfSatisfying(
                        InvalidTaskException.class,
                        e -> assertThat(e.field()).isEqualTo("tasks[4].labels.zone"));
        assertThatThrownBy(() -> SubmitRequest.of(null).toSpec(""))
                .isInstanceOfSatisfying(
                        InvalidTaskException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("type: is required"));
    }

    @Test
    void broadcast_makesABroadcast_aBadGatherTimeNamesTheFieldWithTheBatchIndex() {
        SubmitRequest flush =
                new SubmitRequest(
                        null,
                        "flush",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new io.drover.model.Broadcast(io.drover.model.Broadcast.Success.ANY, 0),
                        null,
                        null);
        assertThat(flush.toSpec("").broadcast().gatherMs())
                .isEqualTo(io.drover.model.Broadcast.DEFAULT_GATHER_MS);
        SubmitRequest bad =
                new SubmitRequest(
                        null,
                        "flush",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new io.drover.model.Broadcast(null, -5),
                        null,
                        null);
        assertThatThrownBy(() -> bad.toSpec("tasks[2]."))
                .isInstanceOfSatisfying(
                        InvalidTaskException.class,
                        e -> assertThat(e.field()).isEqualTo("tasks[2].broadcast.gatherMs"));
    }
}
