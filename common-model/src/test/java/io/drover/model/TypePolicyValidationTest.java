package io.drover.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.TypePolicy.WhenOpen;
import org.junit.jupiter.api.Test;

/** A type's rate limit and breaker fallback are checked field by field, naming what is wrong. */
class TypePolicyValidationTest {
    private static final CircuitBreakerPolicy BREAKER = new CircuitBreakerPolicy(0.5, 4, 4, 1_000);

    private static void rejected(Runnable r, String field, String message) {
        assertThatThrownBy(r::run)
                .isInstanceOf(InvalidTaskException.class)
                .hasMessageStartingWith(field + ": ")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidTaskException) e).field()).isEqualTo(field));
    }

    @Test
    void rateLimit_negativeOrZeroRate_andBurstBelowOne_areRejectedNamingTheField() {
        rejected(
                () -> TypePolicy.of(0, null).withRateLimit(new RateLimit(-1, 5)),
                "rateLimit.perSecond",
                "was -1.0");
        rejected(
                () -> TypePolicy.of(0, null).withRateLimit(new RateLimit(0, 5)),
                "rateLimit.perSecond",
                "more than 0");
        rejected(
                () -> TypePolicy.of(0, null).withRateLimit(new RateLimit(Double.NaN, 5)),
                "rateLimit.perSecond",
                "NaN");
        rejected(
                () -> TypePolicy.of(0, null).withRateLimit(new RateLimit(5, 0)),
                "rateLimit.burst",
                "was 0");
        assertThat(RateLimit.of(0.5)).isEqualTo(new RateLimit(0.5, 1));
        assertThat(RateLimit.of(2.5).describe()).isEqualTo("150/m, burst 3");
        assertThat(RateLimit.of(5).describe()).isEqualTo("5/s, burst 5");
        assertThat(new RateLimit(0.5, 1).perUnit()).isEqualTo("30/m");
        assertThat(new RateLimit(2.0 / 3600, 1).perUnit()).isEqualTo("2/h");
        assertThat(new RateLimit(1.0 / 7, 1).perUnit()).isEqualTo("0.142857/s");
    }

    @Test
    void whenOpen_needsABreaker_fallbackNeedsAValidOtherType_andOnlyGoesWithFallback() {
        rejected(
                () -> TypePolicy.of(0, null).whenOpen(WhenOpen.FAIL_FAST, null),
                "whenOpen",
                "FAIL_FAST needs a breaker");
        rejected(
                () -> TypePolicy.of(0, BREAKER).whenOpen(WhenOpen.FALLBACK, null),
                "fallbackType",
                "is required with whenOpen FALLBACK");
        rejected(
                () -> TypePolicy.of(0, BREAKER).whenOpen(WhenOpen.WAIT, "lite"),
                "fallbackType",
                "goes only with whenOpen FALLBACK");
        rejected(
                () -> TypePolicy.of(0, BREAKER).whenOpen(WhenOpen.FALLBACK, "no spaces"),
                "fallbackType",
                "must be 1-64 characters");
        rejected(
                () ->
                        TypePolicy.of(0, BREAKER)
                                .whenOpen(WhenOpen.FALLBACK, "resize")
                                .validateFor("resize"),
                "fallbackType",
                "another type than resize");
        TypePolicy ok = TypePolicy.of(0, BREAKER).whenOpen(WhenOpen.FALLBACK, "resize-lite");
        assertThat(ok.validateFor("resize")).isSameAs(ok);
        assertThat(TypePolicy.of(0, BREAKER).whenOpen(null, null).whenOpen())
                .as("absent means WAIT")
                .isEqualTo(WhenOpen.WAIT);
    }
}
