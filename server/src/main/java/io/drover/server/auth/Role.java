package io.drover.server.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a caller of the HTTP API or the admin port may do. Each role includes the ones before it: an
 * operator may also submit and read.
 *
 * <ul>
 *   <li>{@code reader}: every GET (tasks, workers, items, cluster, the OpenAPI document; health and
 *       metrics on the admin port);
 *   <li>{@code submitter}: submit and cancel tasks;
 *   <li>{@code operator}: drain workers, put and delete items (and type policies);
 *   <li>{@code admin}: the admin port's tasks and thread dump.
 * </ul>
 */
public enum Role {
    READER,
    SUBMITTER,
    OPERATOR,
    ADMIN;

    /** The names {@code @RolesAllowed} takes (annotations need constants). */
    public interface Name {
        String READER = "reader";
        String SUBMITTER = "submitter";
        String OPERATOR = "operator";
        String ADMIN = "admin";
    }

    /** The name in files, annotations and messages: lower case. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a caller holding this role may do what {@code needed} allows. */
    public boolean includes(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    /**
     * @throws IllegalArgumentException naming the known roles when {@code name} is none of them
     */
    public static Role parse(String name) {
        for (Role r : values()) {
            if (r.wireName().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException(
                "unknown role '"
                        + name
                        + "'; roles are "
                        + Arrays.stream(values())
                                .map(Role::wireName)
                                .collect(Collectors.joining(", ")));
    }
}
