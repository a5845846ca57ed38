package io.drover.server.internal.console;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the web console's static files from the classpath ({@value #ROOT}): {@code index.html} at
 * {@code /} and the rest under {@code /console/}. Only names made of lower-case letters, digits,
 * {@code -} and {@code _}, in folders of the same, with a known extension are looked up, so no path
 * can leave the folder. Files are sent with {@code Cache-Control: no-cache} and an ETag: a browser
 * revalidates, so an upgraded server is never shown with stale scripts. Needs no credentials: the
 * files hold no data, and the console asks for a token when the API answers 401.
 */
public final class ConsoleServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String ROOT = "/io/drover/server/console/";
    private static final Pattern NAME =
            Pattern.compile("([a-z0-9][a-z0-9_-]*/)*[a-z0-9][a-z0-9_-]*\\.(html|js|css|svg|png)");
    private static final Map<String, String> TYPES =
            Map.of(
                    "html", "text/html; charset=utf-8",
                    "js", "text/javascript; charset=utf-8",
                    "css", "text/css; charset=utf-8",
                    "svg", "image/svg+xml",
                    "png", "image/png");

    private record Asset(byte[] bytes, String type, String etag) {}

    private final transient Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = name(req);
        Optional<Asset> asset = name == null ? Optional.empty() : asset(name);
        if (asset.isEmpty()) {
            resp.setStatus(404);
            resp.setContentType("application/json");
            resp.getOutputStream()
                    .write(
                            ("{\"status\":404,\"error\":\"not_found\",\"message\":\"no such"
                                            + " console file\",\"retryable\":false}")
                                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        Asset a = asset.get();
        resp.setHeader("ETag", a.etag());
        resp.setHeader("Cache-Control", "no-cache");
        if (a.etag().equals(req.getHeader("If-None-Match"))) {
            resp.setStatus(304);
            return;
        }
        resp.setContentType(a.type());
        resp.setContentLength(a.bytes().length);
        if (!"HEAD".equals(req.getMethod())) {
            resp.getOutputStream().write(a.bytes());
        }
    }

    /** The file a request asks for, relative to {@value #ROOT}; null if it may not be served. */
    static String name(HttpServletRequest req) {
        if ("/console".equals(req.getServletPath())) {
            String path = req.getPathInfo();
            if (path == null || path.length() < 2) {
                return null;
            }
            String name = path.substring(1);
            return NAME.matcher(name).matches() ? name : null;
        }
        return "index.html"; // the context root, the only other mapping
    }

    private Optional<Asset> asset(String name) {
        return cache.computeIfAbsent(name, ConsoleServlet::load);
    }

    private static Optional<Asset> load(String name) {
        try (InputStream in = ConsoleServlet.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String ext = name.substring(name.lastIndexOf('.') + 1);
            return Optional.of(new Asset(bytes, TYPES.get(ext), etag(bytes)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read console file " + name, e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
