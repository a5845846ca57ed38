package io.drover.server.internal.events;

import io.drover.model.InvalidTaskException;
import io.drover.model.Names;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which events a subscriber wants, from the query of {@code GET /v1/events}. Every filter given
 * must match; {@code types}, {@code ids}, {@code idPrefix} and {@code labels} select task events
 * (and breakers of those types); {@code labels} also selects workers by their labels. Gaps always
 * pass. Immutable.
 */
public record EventFilter(
        Set<String> kinds,
        Set<String> types,
        Set<String> ids,
        String idPrefix,
        Map<String, String> labels) {
    public static final List<String> KINDS = List.of("task", "worker", "leader", "item", "breaker");

    /** Most task ids one subscription may name (a URL must stay well under 8 KiB). */
    public static final int MAX_IDS = 100;

    public static final EventFilter ALL =
            new EventFilter(Set.of(), Set.of(), Set.of(), null, Map.of());

    /** Parses the query parameters; a bad value is an {@link InvalidTaskException} naming it. */
    public static EventFilter parse(
            String kinds, String types, String ids, String idPrefix, String labels) {
        Set<String> k = split(kinds);
        for (String kind : k) {
            if (!KINDS.contains(kind)) {
                throw new InvalidTaskException(
                        "kinds",
                        "must be a comma-separated subset of " + KINDS + ", had " + clip(kind));
            }
        }
        Set<String> t = split(types);
        t.forEach(type -> Names.checkName("types", type));
        Set<String> i = split(ids);
        if (i.size() > MAX_IDS) {
            throw new InvalidTaskException(
                    "ids",
                    "may name at most "
                            + MAX_IDS
                            + " tasks, named "
                            + i.size()
                            + "; follow more with idPrefix or types");
        }
        i.forEach(id -> Names.checkName("ids", id));
        String prefix = idPrefix == null || idPrefix.isEmpty() ? null : idPrefix;
        if (prefix != null && (prefix.length() > 128 || !prefix.matches("[A-Za-z0-9._:-]+"))) {
            throw new InvalidTaskException(
                    "idPrefix",
                    "must be 1-128 letters, digits, '.', '_', ':' or '-', was " + clip(prefix));
        }
        Map<String, String> l = new LinkedHashMap<>();
        for (String pair : split(labels)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new InvalidTaskException(
                        "labels", "must be comma-separated key=value pairs, had " + clip(pair));
            }
            l.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return new EventFilter(Set.copyOf(k), Set.copyOf(t), Set.copyOf(i), prefix, Map.copyOf(l));
    }

    private boolean selectsTasks() {
        return !types.isEmpty() || !ids.isEmpty() || idPrefix != null;
    }

    public boolean matches(FeedEvent e) {
        if (FeedEvent.GAP.equals(e.kind())) {
            return true;
        }
        if (!kinds.isEmpty() && !kinds.contains(e.kind())) {
            return false;
        }
        switch (e.kind()) {
            case "task":
                return (types.isEmpty() || types.contains(e.type()))
                        && (ids.isEmpty() || ids.contains(e.taskId()))
                        && (idPrefix == null || e.taskId().startsWith(idPrefix))
                        && labelsMatch(e);
            case "worker":
                return labelsMatch(e);
            case "breaker":
                return types.isEmpty() || types.contains(e.type());
            default:
                // leader and item events concern the whole cluster: a subscriber that follows
                // particular tasks does not want them unless it asked for the kind
                return !selectsTasks() || kinds.contains(e.kind());
        }
    }

    private boolean labelsMatch(FeedEvent e) {
        for (Map.Entry<String, String> l : labels.entrySet()) {
            if (!l.getValue().equals(e.labels().get(l.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> split(String csv) {
        Set<String> out = new TreeSet<>();
        if (csv != null) {
            for (String s : csv.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    private static String clip(String s) {
        return s.length() > 40 ? "'" + s.substring(0, 40) + "...'" : "'" + s + "'";
    }
}
