package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.BreakerState;
import io.drover.model.CircuitBreakerPolicy;
import io.drover.model.TypePolicy;
import io.drover.model.TypePolicy.WhenOpen;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a type's tasks do while its breaker is open, per its policy's {@code whenOpen}. */
class BreakersTest {
    private static final CircuitBreakerPolicy TWO_FAILURES_OPEN_A_SECOND =
            new CircuitBreakerPolicy(1.0, 2, 2, 1_000);

    private final Map<String, TypePolicy> policies = new HashMap<>();
    private final List<String> persisted = new ArrayList<>();
    private final Breakers breakers =
            new Breakers(policies::get, (type, s) -> persisted.add(type + " " + s.state()));

    private void policy(String type, WhenOpen mode, String fallback) {
        policies.put(type, TypePolicy.of(0, TWO_FAILURES_OPEN_A_SECOND).whenOpen(mode, fallback));
    }

    private void open(String type, long nowMs) {
        breakers.outcome(type, type + "-a", false, nowMs);
        breakers.outcome(type, type + "-b", false, nowMs);
        assertThat(breakers.state(type).state()).isEqualTo(BreakerState.State.OPEN);
    }

    @Test
    void closed_orWithoutABreaker_nothingSpecial() {
        policy("resize", WhenOpen.FAIL_FAST, null);
        policies.put("plain", TypePolicy.of(3, null));

        assertThat(breakers.whenOpen("resize", 0)).isNull();
        assertThat(breakers.whenOpen("plain", 0)).isNull();
        assertThat(breakers.whenOpen("unknown", 0)).isNull();
    }

    @Test
    void wait_isTodaysBehaviour_nothingDispatched_untilTheProbe() {
        policy("resize", WhenOpen.WAIT, null);
        open("resize", 100);

        assertThat(breakers.whenOpen("resize", 500))
                .isEqualTo(new Breakers.Open(WhenOpen.WAIT, null, 1.0));
        assertThat(breakers.allowance("resize", 500)).isZero();
    }

    @Test
    void failFast_whileOpen_namesTheFailureRate_thenProbesAsToday() {
        policy("resize", WhenOpen.FAIL_FAST, null);
        open("resize", 100);

        assertThat(breakers.whenOpen("resize", 1_099))
                .isEqualTo(new Breakers.Open(WhenOpen.FAIL_FAST, null, 1.0));
        assertThat(breakers.whenOpen("resize", 1_100)).as("time is up: the probe").isNull();
        assertThat(breakers.allowance("resize", 1_100)).isEqualTo(1);
        assertThat(breakers.state("resize").state()).isEqualTo(BreakerState.State.HALF_OPEN);
        assertThat(breakers.whenOpen("resize", 1_200)).as("half-open behaves as today").isNull();

        breakers.dispatched("resize", "probe");
        breakers.outcome("resize", "probe", false, 1_300);
        assertThat(breakers.whenOpen("resize", 1_301).action())
                .as("the probe failed: open again, failing fast again")
                .isEqualTo(WhenOpen.FAIL_FAST);
    }

    @Test
    void fallback_runsAsTheFallbackType_whileItsOwnBreakerIsClosed_elseWaits() {
        policy("resize", WhenOpen.FALLBACK, "resize-lite");
        policy("resize-lite", WhenOpen.FALLBACK, "resize");
        open("resize", 100);

        assertThat(breakers.whenOpen("resize", 500))
                .isEqualTo(new Breakers.Open(WhenOpen.FALLBACK, "resize-lite", 1.0));

        open("resize-lite", 200);
        assertThat(breakers.whenOpen("resize", 500))
                .as("the fallback's breaker is open too: no ping-pong, the tasks wait")
                .isEqualTo(new Breakers.Open(WhenOpen.WAIT, null, 1.0));
        assertThat(persisted).containsExactly("resize OPEN", "resize-lite OPEN");
    }

    @Test
    void fallbackToATypeWithoutAPolicy_runsAsIt() {
        policy("resize", WhenOpen.FALLBACK, "thumbnail");
        open("resize", 0);

        assertThat(breakers.whenOpen("resize", 10).runAs()).isEqualTo("thumbnail");
    }
}
