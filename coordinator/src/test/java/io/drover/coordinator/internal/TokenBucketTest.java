package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.RateLimit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rate limit's token bucket, transition by transition, on a clock the test moves. */
class TokenBucketTest {
    private static final RateLimit FIVE_A_SECOND_BURST_TEN = new RateLimit(5, 10);

    @Test
    void startsEmpty_earnsATokenEvery200ms_upToTheBurst() {
        TokenBucket b = new TokenBucket(FIVE_A_SECOND_BURST_TEN, 1_000);

        assertThat(b.available(1_000)).as("a new leader starts with nothing").isZero();
        assertThat(b.nextTokenAtMs(1_000)).isEqualTo(1_200);
        assertThat(b.available(1_199)).isZero();
        assertThat(b.available(1_200)).isEqualTo(1);
        assertThat(b.available(1_600)).isEqualTo(3);
        assertThat(b.available(60_000)).as("never more than the burst").isEqualTo(10);
        assertThat(b.nextTokenAtMs(60_000)).as("one is here").isEqualTo(60_000);
    }

    @Test
    void takingTokens_emptiesTheBucket_andTheNextIsDueOneIntervalAfterTheLastRefill() {
        TokenBucket b = new TokenBucket(FIVE_A_SECOND_BURST_TEN, 0);
        assertThat(b.available(10_000)).isEqualTo(10);

        for (int i = 0; i < 10; i++) {
            b.take();
        }
        b.take(); // one too many never goes below empty

        assertThat(b.available(10_000)).isZero();
        assertThat(b.nextTokenAtMs(10_000)).isEqualTo(10_200);
        assertThat(b.available(10_100)).isZero();
        assertThat(b.nextTokenAtMs(10_100)).as("half a token earned").isEqualTo(10_200);
        b.giveBack();
        assertThat(b.available(10_100)).as("a start that did not happen").isEqualTo(1);
    }

    @Test
    void overAnyWindow_atMostBurstPlusRateTimesTime_start() {
        TokenBucket b = new TokenBucket(new RateLimit(3, 4), 0);
        long[] starts = new long[200];
        int n = 0;
        for (long now = 0; now <= 10_000 && n < starts.length; now += 7) { // a greedy taker
            for (int k = b.available(now); k > 0; k--) {
                b.take();
                starts[n++] = now;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double seconds = (starts[j] - starts[i]) / 1_000.0;
                assertThat(j - i + 1).isLessThanOrEqualTo((int) Math.floor(4 + 3 * seconds));
            }
        }
        assertThat(n).as("and it does let them through: 3/s for 10 s").isBetween(29, 31);
    }

    @Test
    void changedLimit_keepsTheTokensUpToTheNewBurst_aClockGoingBackAddsNothing() {
        TokenBucket b = new TokenBucket(FIVE_A_SECOND_BURST_TEN, 0);
        assertThat(b.available(1_000)).isEqualTo(5);

        b.change(new RateLimit(0.5, 2), 1_000);
        assertThat(b.available(1_000)).isEqualTo(2);
        b.take();
        b.take();
        assertThat(b.nextTokenAtMs(1_000)).as("one every two seconds").isEqualTo(3_000);
        assertThat(b.available(500)).isZero();
        assertThat(b.available(3_000)).isEqualTo(1);
    }

    @Test
    void rateLimits_holdBackOnlyTypesWithAnEmptyBucketAndTasksWaiting_andWakeForTheirNextToken() {
        RateLimits rates = new RateLimits();
        rates.limit("slow", new RateLimit(2, 1), 0);
        rates.limit("idle", new RateLimit(2, 1), 0);

        assertThat(rates.allowance("slow", 0)).isZero();
        assertThat(rates.allowance("free", 0)).isEqualTo(Integer.MAX_VALUE);
        rates.passEnded(Map.of("slow", 3L), 0);
        assertThat(rates.held()).as("idle has no task waiting").containsExactly("slow");
        assertThat(rates.nextWakeMs(0)).isEqualTo(500);

        assertThat(rates.allowance("slow", 500)).isEqualTo(1);
        rates.started("slow");
        rates.passEnded(Map.of("slow", 2L), 500);
        assertThat(rates.nextWakeMs(500)).isEqualTo(1_000);
        rates.limit("slow", new RateLimit(2, 1), 700); // the same policy written again: no change
        assertThat(rates.allowance("slow", 999)).isZero();

        rates.limit("slow", null, 1_000);
        assertThat(rates.allowance("slow", 1_000)).isEqualTo(Integer.MAX_VALUE);
        assertThat(rates.held()).isEmpty();
        assertThat(rates.nextWakeMs(1_000)).isEqualTo(-1);
    }
}
