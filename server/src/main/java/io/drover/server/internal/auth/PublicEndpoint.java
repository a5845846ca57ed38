package io.drover.server.internal.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource method anyone may call, with or without credentials: only signing in and out of a
 * console session ({@code /v1/session}). It must be said on purpose: a Drover resource method with
 * neither this nor {@code @RolesAllowed} stops the server at start ({@link RoleFeature}). Its class
 * must not carry {@code @RolesAllowed}, or authentication would run before it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PublicEndpoint {}
