package io.drover.model;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A schedule's cron expression in its time zone, parsed once. The syntax is Spring's (cron-utils'
 * {@code SPRING53} definition): six fields, <em>second</em> minute hour day-of-month month
 * day-of-week ({@code 0 0 2 * * MON-FRI}, {@code *}{@code /2 * * * * *}), {@code ?}, {@code L},
 * {@code W} and {@code #} as in Quartz, and macros such as {@code @daily} and {@code @hourly}.
 * Ticks are instants: on the day clocks go forward a wall-clock time that does not exist does not
 * fire, and a time that happens twice fires once.
 *
 * <p>Immutable and thread-safe.
 */
public final class Cron {
    /** Longest expression accepted: the longest sensible one is far shorter. */
    public static final int MAX_LENGTH = 200;

    /** What the syntax errors say is expected. */
    public static final String SYNTAX =
            "6 fields: second minute hour day-of-month month day-of-week, such as \"0 0 2 * * *\""
                    + " (02:00 every day) or \"*/10 * * * * *\" (every 10 s), or @daily, @hourly";

    private static final CronParser PARSER =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime times;

    private Cron(String expression, ZoneId zone, ExecutionTime times) {
        this.expression = expression;
        this.zone = zone;
        this.times = times;
    }

    /**
     * Parses {@code expression} for {@code zone} (an IANA id such as {@code Europe/Paris}; null
     * means UTC); throws {@link InvalidTaskException} naming {@code cron} or {@code zone}.
     */
    public static Cron parse(String expression, String zone) {
        ZoneId z = zone(zone);
        if (expression == null || expression.isBlank()) {
            throw new InvalidTaskException("cron", "is required: " + SYNTAX);
        }
        if (expression.length() > MAX_LENGTH) {
            throw new InvalidTaskException(
                    "cron", "must be at most " + MAX_LENGTH + " characters: " + SYNTAX);
        }
        ExecutionTime times;
        try {
            synchronized (PARSER) {
                times = ExecutionTime.forCron(PARSER.parse(expression.strip()));
            }
        } catch (RuntimeException e) {
            throw new InvalidTaskException(
                    "cron",
                    Names.abbreviate(expression)
                            + " is not a cron expression ("
                            + e.getMessage()
                            + "); expected "
                            + SYNTAX);
        }
        return new Cron(expression.strip(), z, times);
    }

    /** A time zone id; null or empty means UTC. Throws {@link InvalidTaskException} naming it. */
    public static ZoneId zone(String zone) {
        if (zone == null || zone.isEmpty()) {
            return java.time.ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new InvalidTaskException(
                    "zone",
                    "must be a time zone such as Europe/Paris, America/New_York or UTC, was "
                            + Names.abbreviate(zone));
        }
    }

    public String expression() {
        return expression;
    }

    public ZoneId zoneId() {
        return zone;
    }

    /** The first tick strictly after {@code afterMs} (epoch ms), or -1 when none comes. */
    public long nextAfter(long afterMs) {
        return millis(times.nextExecution(second(afterMs)));
    }

    /** The last tick at or before {@code atMs} (epoch ms), or -1 when there was none. */
    public long latestAtOrBefore(long atMs) {
        return millis(times.lastExecution(second(atMs).plusSeconds(1)));
    }

    /**
     * The whole second at or before {@code ms}: ticks are whole seconds, and cron-utils carries a
     * fraction of its input into the next tick of {@code * * * * * *}.
     */
    private ZonedDateTime second(long ms) {
        return Instant.ofEpochMilli(Math.floorDiv(ms, 1_000L) * 1_000L).atZone(zone);
    }

    private static long millis(Optional<ZonedDateTime> t) {
        return t.map(z -> z.toInstant().toEpochMilli()).orElse(-1L);
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}
