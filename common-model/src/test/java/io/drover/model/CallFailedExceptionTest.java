package io.drover.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallFailedExceptionTest {
    private static final TaskSpec SPEC =
            TaskSpec.builder("resize").id("r-1").maxAttempts(3).build();

    @Test
    void failedForGoodByItsHandler_beforeItsAttemptsRanOut_isPermanent() {
        TaskStatus ran =
                TaskStatus.pending(SPEC)
                        .assigned("w1", 1, 10)
                        .running(20)
                        .finished(TaskState.FAILED, 7, null, "bad input", 30);

        CallFailedException e = new CallFailedException(ran);

        assertThat(e.isRetryable()).isFalse();
        assertThat(e.isPermanent()).isTrue();
        assertThat(e.getMessage()).contains("for good on attempt 1 of 3").contains("bad input");
    }

    @Test
    void failedFastByAnOpenBreaker_beforeItEverStarted_isRetryable() {
        TaskStatus failedFast =
                TaskStatus.pending(SPEC)
                        .finished(
                                TaskState.FAILED,
                                0,
                                null,
                                "circuit breaker of type resize is open; failing fast",
                                30);

        CallFailedException e = new CallFailedException(failedFast);

        assertThat(e.isRetryable()).as("the input was never tried").isTrue();
        assertThat(e.error()).contains("failing fast");
    }
}
