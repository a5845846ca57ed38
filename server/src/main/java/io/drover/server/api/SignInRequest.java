package io.drover.server.api;

/**
 * The body of {@code POST /v1/session}.
 *
 * @param token a bearer token the server's principals file lists
 */
public record SignInRequest(String token) {
    @Override
    public String toString() {
        return "SignInRequest[token=(hidden)]"; // never in a log
    }
}
