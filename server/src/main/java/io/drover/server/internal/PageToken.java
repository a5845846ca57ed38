package io.drover.server.internal;

import io.drover.model.DroverPaths;
import io.drover.model.InvalidTaskException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a task listing resumes: a status bucket and the last id read from it (null: the bucket's
 * start). Opaque to clients (base64url of {@code <bucket>/<id>}); a token that does not decode is a
 * 400.
 */
record PageToken(int bucket, String after) {
    static final PageToken FIRST = new PageToken(0, null);

    static PageToken parse(String token) {
        if (token == null || token.isEmpty()) {
            return FIRST;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int slash = raw.indexOf('/');
            int bucket = Integer.parseInt(raw.substring(0, slash));
            String after = raw.substring(slash + 1);
            if (bucket < 0 || bucket >= DroverPaths.BUCKETS) {
                throw new IllegalArgumentException("out of range");
            }
            return new PageToken(bucket, after.isEmpty() ? null : after);
        } catch (RuntimeException e) {
            throw new InvalidTaskException("pageToken", "is not a token this server handed out");
        }
    }

    String encode() {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        (bucket + "/" + (after == null ? "" : after))
                                .getBytes(StandardCharsets.UTF_8));
    }
}
