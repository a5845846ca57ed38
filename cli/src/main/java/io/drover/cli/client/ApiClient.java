package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.model.DroverJson;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A small blocking client of the HTTP API v1, for the CLI. Not thread-safe for concurrent use of
 * one instance's state: it has none.
 */
public final class ApiClient {
    private static final ObjectMapper JSON = DroverJson.mapper();

    private final List<String> bases;
    private volatile int current;
    private final HttpClient http;
    private final String token;

    public ApiClient(String baseUrl) {
        this(baseUrl, null, null);
    }

    /**
     * @param token sent as {@code Authorization: Bearer}; null for none
     * @param caCert a PEM file of the CA certificates to trust for https (instead of the JDK's);
     *     null for the JDK's
     */
    public ApiClient(String baseUrl, String token, java.nio.file.Path caCert) {
        this(List.of(baseUrl), token, caCert);
    }

    /**
     * A client of several coordinators (found in ZooKeeper): it uses the first, and moves to the
     * next when the one it uses cannot be reached, for the request under way as well. Every
     * coordinator serves the whole API, and the CLI's writes are idempotent (it names what it
     * submits), so a request sent again cannot do anything twice.
     */
    public ApiClient(List<String> baseUrls, String token, java.nio.file.Path caCert) {
        List<String> checked = new java.util.ArrayList<>();
        baseUrls.forEach(u -> checked.add(checked(u)));
        this.bases = List.copyOf(checked);
        this.token = token;
        HttpClient.Builder h = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (caCert != null) {
            h.sslContext(TrustedCas.sslContext(caCert));
        }
        this.http = h.build();
    }

    private static String checked(String baseUrl) {
        String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        try {
            URI u = URI.create(b);
            if (u.getScheme() == null
                    || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new ApiException(
                    "--url must be an http(s) URL such as http://localhost:8080, was " + baseUrl,
                    ExitCodes.USAGE,
                    false,
                    null);
        }
        return b;
    }

    /** The coordinator in use. */
    public String baseUrl() {
        return bases.get(current);
    }

    public JsonNode get(String path) {
        return send(path, HttpRequest.newBuilder(uri(path)).GET());
    }

    public JsonNode post(String path, Object body) {
        return sendJson("POST", path, body);
    }

    public JsonNode put(String path, Object body) {
        return sendJson("PUT", path, body);
    }

    public JsonNode delete(String path) {
        return send(path, HttpRequest.newBuilder(uri(path)).DELETE());
    }

    private JsonNode sendJson(String method, String path, Object body) {
        byte[] data;
        try {
            data = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new ApiException(
                    "cannot encode the request: " + e.getMessage(), ExitCodes.USAGE, false, e);
        }
        return send(
                path,
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(data)));
    }

    /** {@code path?k=v&...}, leaving out null values. */
    public static String query(String path, Map<String, ?> params) {
        StringJoiner q = new StringJoiner("&");
        params.forEach(
                (k, v) -> {
                    if (v != null) {
                        q.add(k + "=" + URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
                    }
                });
        return q.length() == 0 ? path : path + "?" + q;
    }

    /**
     * A task, worker or item id from the command line as a path segment; a malformed one (empty, a
     * slash) is a usage error here.
     */
    public static String segment(String what, String id) {
        io.drover.model.Names.checkId(what, id);
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    /**
     * Opens a Server-Sent Events stream ({@code GET /v1/events...}) and returns its lines once the
     * headers have arrived; the caller reads them (blocking) and closes the stream.
     */
    public java.util.stream.Stream<String> stream(String path, String lastEventId) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri(path)).GET().header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.util.stream.Stream<String>> r =
                exchange(path, request, HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) {
            String text;
            try (java.util.stream.Stream<String> lines = r.body()) {
                text = lines.collect(java.util.stream.Collectors.joining("\n"));
            }
            answer(r.statusCode(), text.getBytes(StandardCharsets.UTF_8));
        }
        return r.body();
    }

    private JsonNode send(String path, HttpRequest.Builder request) {
        HttpResponse<byte[]> response =
                exchange(
                        path,
                        request.header("Accept", "application/json"),
                        HttpResponse.BodyHandlers.ofByteArray());
        return answer(response.statusCode(), response.body());
    }

    /** Sends to the coordinator in use, then to each other one while they cannot be reached. */
    private <T> HttpResponse<T> exchange(
            String path, HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int tried = 1; ; tried++) {
            try {
                return exchangeOnce(request.uri(uri(path)), handler);
            } catch (ApiException e) {
                if (!e.isRetryable() || tried >= bases.size()) {
                    throw e;
                }
                current = (current + 1) % bases.size();
            }
        }
    }

    private <T> HttpResponse<T> exchangeOnce(
            HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        String baseUrl = baseUrl();
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), handler);
        } catch (ConnectException e) {
            throw new ApiException(
                    "cannot reach the Drover API at "
                            + baseUrl
                            + " (connection refused); is a coordinator running? "
                            + "Set --url or DROVER_URL",
                    ExitCodes.UNAVAILABLE,
                    true,
                    e);
        } catch (HttpTimeoutException e) {
            throw new ApiException(
                    "the Drover API at " + baseUrl + " did not answer in time",
                    ExitCodes.UNAVAILABLE,
                    true,
                    e);
        } catch (javax.net.ssl.SSLHandshakeException e) {
            throw new ApiException(
                    "cannot talk to the Drover API at "
                            + baseUrl
                            + ": its certificate is not trusted (pass the CA's certificate with"
                            + " --cacert or DROVER_CACERT): "
                            + e.getMessage(),
                    ExitCodes.UNAVAILABLE,
                    false,
                    e);
        } catch (IOException e) {
            throw new ApiException(
                    "cannot talk to the Drover API at " + baseUrl + ": " + e,
                    ExitCodes.UNAVAILABLE,
                    true,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted", ExitCodes.FAILED, false, e);
        }
    }

    private JsonNode answer(int status, byte[] data) {
        String baseUrl = baseUrl();
        JsonNode body;
        try {
            body = data.length == 0 ? JSON.nullNode() : JSON.readTree(data);
        } catch (IOException e) {
            throw new ApiException(
                    baseUrl
                            + " answered HTTP "
                            + status
                            + " with something that is not JSON; is --url a Drover coordinator?",
                    status >= 400 ? ExitCodes.forStatus(status) : ExitCodes.FAILED,
                    false,
                    e);
        }
        if (status >= 400) {
            String message = body.path("message").asText("");
            if (status == 401) {
                message +=
                        token == null
                                ? " (set DROVER_TOKEN or --token-file)"
                                : " (the token was not accepted)";
            }
            throw new ApiException(
                    message.isEmpty() ? "HTTP " + status + " from " + baseUrl : message,
                    ExitCodes.forStatus(status),
                    body.path("retryable").asBoolean(status == 503),
                    null);
        }
        return body;
    }
}
