package io.drover.server.internal.auth;

import io.drover.server.api.ErrorResponse;
import io.drover.server.auth.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.stream.Collectors;

/**
 * The role each endpoint needs, from its {@code @RolesAllowed} (one role; the roles above it are
 * allowed too). Deny by default: a Drover resource method without one stops the server at start, so
 * no endpoint can be added open by mistake; anything else Jersey serves needs {@code admin}.
 * Jersey's {@code RolesAllowedDynamicFeature} would answer a bare 403; this one says which role was
 * needed and which the caller has.
 */
public final class RoleFeature implements DynamicFeature {
    private final boolean enforce;

    /**
     * @param enforce false when the server has no authentication: the annotations are still checked
     *     at start, but every caller may do everything (the server is on loopback)
     */
    public RoleFeature(boolean enforce) {
        this.enforce = enforce;
    }

    @Override
    public void configure(ResourceInfo info, FeatureContext context) {
        Role needed = required(info.getResourceClass(), info.getResourceMethod());
        if (enforce && needed != null) {
            context.register(new Check(needed), Priorities.AUTHORIZATION);
        }
    }

    /**
     * The role a resource method needs: its own {@code @RolesAllowed}, else its class's; null for a
     * {@link PublicEndpoint}.
     *
     * @throws IllegalStateException for a Drover resource method with neither, or a public one in a
     *     class that names a role
     */
    public static Role required(Class<?> resource, Method method) {
        if (method.isAnnotationPresent(PublicEndpoint.class)) {
            if (resource.isAnnotationPresent(RolesAllowed.class)
                    || method.isAnnotationPresent(RolesAllowed.class)) {
                throw new IllegalStateException(
                        resource.getName()
                                + "."
                                + method.getName()
                                + " is public, so neither it nor its class may name a role");
            }
            return null;
        }
        RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
        if (allowed == null) {
            allowed = resource.getAnnotation(RolesAllowed.class);
        }
        if (allowed == null || allowed.value().length != 1) {
            if (!resource.getName().startsWith("io.drover.")) {
                return Role.ADMIN;
            }
            throw new IllegalStateException(
                    resource.getName()
                            + "."
                            + method.getName()
                            + " must name exactly one role with @RolesAllowed");
        }
        return Role.parse(allowed.value()[0]);
    }

    private record Check(Role needed) implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getSecurityContext().getUserPrincipal() instanceof Caller c
                    && c.has(needed)) {
                return;
            }
            String who =
                    request.getSecurityContext().getUserPrincipal() instanceof Caller c
                            ? c.name()
                                    + " has "
                                    + c.roles().stream()
                                            .map(Role::wireName)
                                            .sorted()
                                            .collect(Collectors.joining(", "))
                            : "the caller is not authenticated";
            request.abortWith(
                    Response.status(403)
                            .type(MediaType.APPLICATION_JSON_TYPE)
                            .entity(
                                    new ErrorResponse(
                                            403,
                                            "forbidden",
                                            request.getMethod()
                                                    + " /"
                                                    + request.getUriInfo().getPath()
                                                    + " needs the role "
                                                    + needed.wireName()
                                                    + "; "
                                                    + who,
                                            null,
                                            false))
                            .build());
        }
    }
}
