package io.drover.server.internal;

import io.drover.model.InvalidTaskException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Where a task listing resumes: a section of the newest-first order and the key of the last entry
 * read in it (null: the section's start). Opaque to clients (base64url of {@code
 * v2/<section>/<key>}); a token that does not decode, or that belongs to another filter's sections,
 * is a 400. Tokens of the listing before the newest-first order (bucket and id) are refused the
 * same way: start again without one.
 */
record PageToken(Section section, String after) {
    /**
     * The parts of the order, in the order a listing without a state filter walks them: tasks in
     * flight, pending tasks, waiting tasks, ended tasks.
     */
    enum Section {
        /** Assigned and running tasks, newest submitted first (all their statuses read). */
        IN_FLIGHT('R'),
        /** The same when more are in flight than a page may read: by id, newest id first. */
        IN_FLIGHT_BY_ID('r'),
        /** The pending index, newest submitted first. */
        PENDING('P'),
        /** Tasks waiting for their dependencies ({@code waiting/}), by id, newest id first. */
        WAITING('W'),
        /** The retention index, newest finished first. */
        ENDED('E');

        final char code;

        Section(char code) {
            this.code = code;
        }

        static Section of(char code) {
            for (Section s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            throw new IllegalArgumentException("no section " + code);
        }
    }

    /**
     * Not a number: a server from before this order reads a token's start as a bucket number, so it
     * refuses this one (a 400) rather than resume somewhere odd during a rolling upgrade.
     */
    private static final String VERSION = "v2";

    /** The start of the first section of {@code plan}, or where {@code token} left off. */
    static PageToken parse(String token, List<Section> plan) {
        if (token == null || token.isEmpty()) {
            return new PageToken(plan.get(0), null);
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = raw.split("/", 3);
            if (parts.length != 3 || !parts[0].equals(VERSION) || parts[1].length() != 1) {
                throw new IllegalArgumentException("not a token of this version");
            }
            Section section = Section.of(parts[1].charAt(0));
            boolean inPlan =
                    plan.contains(section)
                            || (section == Section.IN_FLIGHT_BY_ID
                                    && plan.contains(Section.IN_FLIGHT));
            if (!inPlan) {
                throw new IllegalArgumentException("another filter's token");
            }
            return new PageToken(section, parts[2].isEmpty() ? null : parts[2]);
        } catch (RuntimeException e) {
            throw new InvalidTaskException(
                    "pageToken",
                    "is not a token this server handed out for this filter; list again without"
                            + " one");
        }
    }

    String encode() {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        (VERSION + "/" + section.code + "/" + (after == null ? "" : after))
                                .getBytes(StandardCharsets.UTF_8));
    }
}
