package io.drover.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer tokens: 256 random bits, stored only as their SHA-256. A token is not a password a person
 * chose, so a fast unsalted hash is enough: nobody can search 2^256 values, and the file of hashes
 * gives nothing away (as GitHub stores its tokens).
 */
public final class Tokens {
    /** Tells a Drover token apart in a secret scanner's eyes. */
    public static final String PREFIX = "drv_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    /** A new token: {@code drv_} and 43 URL-safe characters. */
    public static String newToken() {
        byte[] bits = new byte[32];
        RANDOM.nextBytes(bits);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    /** The lower-case hex SHA-256 of the token's UTF-8 bytes: what the principals file stores. */
    public static String sha256Hex(String token) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
