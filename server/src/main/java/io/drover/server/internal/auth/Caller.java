package io.drover.server.internal.auth;

import io.drover.server.auth.Role;
import java.security.Principal;
import java.util.Set;

/**
 * Who made a request, as the principals file names them, and the roles it gives them.
 *
 * @param name the token's or the certificate's name in the principals file; it is what the audit
 *     log shows
 * @param roles never empty
 * @param via {@code token} or {@code certificate}
 * @param maxLiveTasks the caller's own cap on live tasks it submitted; 0: none
 */
public record Caller(String name, Set<Role> roles, String via, long maxLiveTasks)
        implements Principal {
    public Caller {
        roles = Set.copyOf(roles);
    }

    @Override
    public String getName() {
        return name;
    }

    /**
     * Who a request acts for, with their own cap on live tasks; null on a server without
     * authentication (nobody in particular).
     */
    public static io.drover.store.SubmitterQuota quotaOf(
            jakarta.ws.rs.core.SecurityContext request) {
        return request != null && request.getUserPrincipal() instanceof Caller c
                ? new io.drover.store.SubmitterQuota(c.name(), c.maxLiveTasks())
                : null;
    }

    /** Whether one of this caller's roles includes {@code needed}. */
    public boolean has(Role needed) {
        return roles.stream().anyMatch(r -> r.includes(needed));
    }
}
