package io.drover.model;

/**
 * How fast the leader starts tasks of one type (a token bucket): on average at most {@code
 * perSecond} a second, and at most {@code burst} at once after a quiet spell. Over any window of
 * {@code t} seconds the leader assigns at most {@code burst + perSecond × t} tasks of the type.
 *
 * @param perSecond tokens added per second, more than 0 and at most {@value #MAX_PER_SECOND} (0.5 =
 *     one task every two seconds)
 * @param burst the bucket's size: tasks that may start at once, 1 to {@value #MAX_BURST}
 */
public record RateLimit(double perSecond, int burst) {
    public static final double MAX_PER_SECOND = 1_000_000;
    public static final int MAX_BURST = 1_000_000;

    /** The rate with the default burst: one second's worth of tasks, at least 1. */
    public static RateLimit of(double perSecond) {
        return new RateLimit(
                        perSecond, (int) Math.min(MAX_BURST, Math.max(1, Math.ceil(perSecond))))
                .validate();
    }

    public RateLimit validate() {
        if (!(perSecond > 0 && perSecond <= MAX_PER_SECOND)) {
            throw new InvalidTaskException(
                    "rateLimit.perSecond",
                    "must be more than 0 and at most 1000000 tasks a second, was " + perSecond);
        }
        if (burst < 1 || burst > MAX_BURST) {
            throw new InvalidTaskException(
                    "rateLimit.burst", "must be between 1 and 1000000, was " + burst);
        }
        return this;
    }

    /** For people: {@code 5/s, burst 10}, {@code 30/m, burst 1}. */
    public String describe() {
        return perUnit() + ", burst " + burst;
    }

    /**
     * The rate as {@code drover type set --rate} takes it: per second, minute or hour, the first
     * that makes it a whole number (5/s, 150/m, 2/h), else per second with six digits.
     */
    public String perUnit() {
        for (String unit : new String[] {"s", "m", "h"}) {
            double n = perSecond * (unit.equals("s") ? 1 : unit.equals("m") ? 60 : 3600);
            if (Math.abs(n - Math.rint(n)) < 1e-6 && n >= 1) {
                return (long) Math.rint(n) + "/" + unit;
            }
        }
        return new java.math.BigDecimal(perSecond)
                        .round(new java.math.MathContext(6))
                        .stripTrailingZeros()
                        .toPlainString()
                + "/s";
    }
}
