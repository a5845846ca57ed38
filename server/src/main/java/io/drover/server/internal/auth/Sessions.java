package io.drover.server.internal.auth;

import io.drover.server.SecurityFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Console sessions: a token, checked once against the {@link Principals} file, opens a session
 * whose cookie holds the principal's name and an expiry, signed with HMAC-SHA256. The cookie never
 * holds the token. The signature also covers the SHA-256 of the token the file lists for that name
 * at the time of each request, so a session ends as soon as its token is removed or rotated; the
 * roles are those the file gives now, not those it gave at sign-in.
 *
 * <p>The key is random per process unless {@code security.sessionKeyFile} names one, so by default
 * a session is valid only on the coordinator that issued it, until it restarts. Thread-safe; no
 * method blocks beyond reading the principals file.
 */
public final class Sessions {
    /** The cookie's name. */
    public static final String COOKIE = "drover_session";

    static final Duration MIN_TTL = Duration.ofMinutes(1);
    static final Duration MAX_TTL = Duration.ofDays(7);
    private static final int MIN_KEY_CHARS = 32;
    private static final int MAX_COOKIE_CHARS = 1024;
    private static final String VERSION = "v1";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final Principals principals;
    private final byte[] key;
    private final Duration ttl;
    private final LongSupplier nowMs;

    /** A session just opened: the cookie's value, who it is for, and when it ends. */
    public record Opened(String value, Caller caller, long expiresAtMs) {}

    Sessions(Principals principals, byte[] key, Duration ttl, LongSupplier nowMs) {
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException(
                    "security.sessionTtl must be between 1 minute and 7 days, was " + ttl);
        }
        this.principals = principals;
        this.key = key.clone();
        this.ttl = ttl;
        this.nowMs = nowMs;
    }

    /**
     * @throws IllegalArgumentException naming the setting when the TTL is out of range or the key
     *     file cannot be read or is too short
     */
    public static Sessions create(SecurityFactory security, Principals principals) {
        return new Sessions(
                principals,
                key(security.sessionKeyFile),
                Duration.ofMillis(security.sessionTtl.toMilliseconds()),
                System::currentTimeMillis);
    }

    private static byte[] key(String file) {
        if (file == null || file.isBlank()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return random;
        }
        String text;
        try {
            text = Files.readString(Path.of(file)).strip();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "security.sessionKeyFile " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (text.length() < MIN_KEY_CHARS) {
            throw new IllegalArgumentException(
                    "security.sessionKeyFile "
                            + file
                            + " must hold at least "
                            + MIN_KEY_CHARS
                            + " characters (a random key, e.g. from `drover token`)");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public Duration ttl() {
        return ttl;
    }

    /** The session a token opens, if the principals file lists the token. */
    public Optional<Opened> open(String token) {
        Optional<Caller> caller = principals.byToken(token);
        if (caller.isEmpty()) {
            return Optional.empty();
        }
        String name = caller.get().name();
        long expires = nowMs.getAsLong() + ttl.toMillis();
        String sha256 = io.drover.server.auth.Tokens.sha256Hex(token);
        String value =
                String.join(
                        ".",
                        VERSION,
                        B64.encodeToString(name.getBytes(StandardCharsets.UTF_8)),
                        Long.toString(expires),
                        B64.encodeToString(mac(name, expires, sha256)));
        return Optional.of(new Opened(value, session(caller.get()), expires));
    }

    /**
     * The caller a cookie stands for: its signature holds, it has not expired, and the principals
     * file still lists the same token under its name. The caller has the roles the file gives now.
     */
    public Optional<Caller> verify(String value) {
        if (value == null || value.length() > MAX_COOKIE_CHARS) {
            return Optional.empty();
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            return Optional.empty();
        }
        String name;
        long expires;
        byte[] signature;
        try {
            name = new String(B64D.decode(parts[1]), StandardCharsets.UTF_8);
            expires = Long.parseLong(parts[2]);
            signature = B64D.decode(parts[3]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (expires <= nowMs.getAsLong()) {
            return Optional.empty();
        }
        return principals
                .tokenPrincipal(name)
                .filter(p -> MessageDigest.isEqual(signature, mac(name, expires, p.sha256())))
                .map(p -> session(p.caller()));
    }

    /** When the session a cookie holds ends (for a cookie {@link #verify} accepted). */
    public static long expiresAtMs(String value) {
        return Long.parseLong(value.split("\\.", -1)[2]);
    }

    private static Caller session(Caller c) {
        return new Caller(c.name(), c.roles(), "session", c.maxLiveTasks());
    }

    private byte[] mac(String name, long expires, String tokenSha256) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            // Lengths first: no two (name, expiry, hash) triples sign the same bytes.
            String signed =
                    "drover-session-"
                            + VERSION
                            + "\n"
                            + name.length()
                            + ":"
                            + name
                            + "\n"
                            + expires
                            + "\n"
                            + tokenSha256;
            return m.doFinal(signed.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
