package io.drover.store;

import io.drover.model.DroverException;
import io.drover.model.InvalidTaskException;
import io.drover.model.PreconditionFailedException;
import io.drover.model.Schedule;

/** The conditions of {@link ScheduleStore}'s writes and the errors they raise. Stateless. */
final class ScheduleConditions {
    private ScheduleConditions() {}

    /**
     * Holds when {@code ifMatch} is absent, {@code *}, or the current revision ({@code "3"}, {@code
     * 3}, {@code W/"3"}); throws {@link PreconditionFailedException} otherwise.
     */
    static void checkRevision(String id, String ifMatch, Schedule current) {
        if (ifMatch == null || ifMatch.strip().equals("*")) {
            return;
        }
        String v = ifMatch.strip();
        v = v.startsWith("W/") ? v.substring(2) : v;
        v =
                v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
                        ? v.substring(1, v.length() - 1)
                        : v;
        long expected;
        try {
            expected = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidTaskException(
                    "If-Match",
                    "must be the revision (ETag) of schedule " + id + ", such as \"3\", or *");
        }
        if (expected != current.revision()) {
            throw mismatch(
                    "If-Match", id, "is at revision " + current.revision() + ", not " + expected);
        }
    }

    static PreconditionFailedException mismatch(String header, String id, String why) {
        return new PreconditionFailedException(
                header,
                "schedule " + id + " " + why + "; GET /v1/schedules/" + id + " and try again");
    }

    static DroverException busy(String id) {
        return new DroverException(
                "schedule " + id + " kept changing under concurrent writers; try again", true);
    }
}
