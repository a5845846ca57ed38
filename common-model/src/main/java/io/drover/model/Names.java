package io.drover.model;

import java.util.Map;
import java.util.regex.Pattern;

/** The rules for ids, type names and labels. Ids become znode names, so they must be path-safe. */
public final class Names {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_LABELS = 32;

    private Names() {}

    /**
     * Task, worker and item ids: 1–128 of {@code A-Z a-z 0-9 . _ : -}, starting with a letter or
     * digit.
     */
    public static String checkId(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidTaskException(field, "is required");
        }
        if (!ID.matcher(id).matches()) {
            throw new InvalidTaskException(
                    field,
                    "must be 1-128 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit, was "
                            + abbreviate(id));
        }
        return id;
    }

    /** Task types, label keys and values: 1–64 of {@code A-Z a-z 0-9 . _ -}. */
    public static String checkName(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidTaskException(field, "is required");
        }
        if (!NAME.matcher(name).matches()) {
            throw new InvalidTaskException(
                    field,
                    "must be 1-64 characters of A-Z a-z 0-9 . _ - starting with a letter or digit, was "
                            + abbreviate(name));
        }
        return name;
    }

    public static void checkLabels(String field, Map<String, String> labels) {
        if (labels.size() > MAX_LABELS) {
            throw new InvalidTaskException(
                    field, "at most " + MAX_LABELS + " labels, was " + labels.size());
        }
        labels.forEach(
                (k, v) -> {
                    if (k == null || !NAME.matcher(k).matches()) {
                        throw new InvalidTaskException(
                                field,
                                "keys must be 1-64 characters of A-Z a-z 0-9 . _ - starting with a letter or digit, found "
                                        + (k == null ? "null" : abbreviate(k)));
                    }
                    checkName(field + "." + k, v);
                });
    }

    /** True when every required label is present on the worker with the same value. */
    public static boolean labelsMatch(Map<String, String> required, Map<String, String> offered) {
        for (Map.Entry<String, String> e : required.entrySet()) {
            if (!e.getValue().equals(offered.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static String abbreviate(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return "\"" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }
}
