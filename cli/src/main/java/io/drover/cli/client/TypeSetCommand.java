package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.CircuitBreakerPolicy;
import io.drover.model.TypePolicy;
import io.drover.server.api.PutTypeRequest;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "set",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Sets a task type's policy (PUT /v1/types/TYPE); the leader enforces it at once.",
            "Only the settings given change; the others keep their current value. It reads",
            "the policy, changes it and writes it back at the version it read, so two",
            "operators at once cannot undo each other's change."
        },
        footer = {
            "",
            "Examples:",
            "  drover type set resize --max-concurrent 4",
            "  drover type set resize --max-live 10000 --max-concurrent 0   # no concurrency limit",
            "  drover type set resize --breaker failureRate=0.5,window=20,minCalls=10,open=30s",
            "  drover type set resize --no-breaker",
            "  drover type set resize --rate 5/s --burst 10   # at most 10 at once, 5 a second on",
            "  drover type set resize --no-rate               # no rate limit any more",
            "  drover type set resize --when-open fail-fast   # fail its tasks while the breaker is open",
            "  drover type set resize --fallback resize-lite  # run them as resize-lite meanwhile",
            "",
            "Exit codes: 0 set; 1 the policy kept changing meanwhile; 2 bad input;",
            "3 API unreachable; 5 not allowed (it needs the operator role)."
        })
public final class TypeSetCommand implements Callable<Integer> {
    private static final int TRIES = 3;
    private static final Set<String> BREAKER_KEYS =
            Set.of("failureRate", "window", "minCalls", "open");

    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Parameters(paramLabel = "TYPE", description = "The task type.")
    String type;

    @Option(
            names = "--max-concurrent",
            paramLabel = "N",
            description =
                    "Tasks of the type assigned or running at once across the cluster; 0: no limit.")
    Integer maxConcurrent;

    @Option(
            names = "--max-live",
            paramLabel = "N",
            description =
                    "Tasks of the type not yet ended that the cluster takes (more are refused); 0: no cap.")
    Long maxLive;

    @Option(
            names = "--breaker",
            paramLabel = "SPEC",
            description =
                    "A circuit breaker, failureRate=R,window=N,minCalls=N,open=DURATION: once"
                            + " minCalls of the last window tasks ended and the failed share"
                            + " reaches R (0 to 1), nothing of the type is dispatched for open"
                            + " (500ms, 30s, 5m, 2h), then one probe goes.")
    String breaker;

    @Option(
            names = "--no-breaker",
            description =
                    "Remove the type's circuit breaker (and what it did while open, unless given).")
    boolean noBreaker;

    @Option(
            names = "--rate",
            paramLabel = "N/UNIT",
            description =
                    "Start at most N tasks of the type per second, minute or hour (5/s, 30/m,"
                            + " 0.5/s), cluster-wide; a new leader starts with none in hand.")
    String rate;

    @Option(
            names = "--burst",
            paramLabel = "N",
            description =
                    "Tasks that may start at once after a quiet spell (1 or more); default: the"
                            + " current burst, else one second's worth of the rate.")
    Integer burst;

    @Option(names = "--no-rate", description = "Remove the type's rate limit.")
    boolean noRate;

    @Option(
            names = "--when-open",
            paramLabel = "MODE",
            description =
                    "What the type's tasks do while its breaker is open: wait (the default),"
                            + " fail-fast, or fallback (with --fallback).")
    String whenOpen;

    @Option(
            names = "--fallback",
            paramLabel = "TYPE",
            description =
                    "While the breaker is open, run the type's tasks as TYPE, on workers that"
                            + " announce it (implies --when-open fallback).")
    String fallback;

    static String path(String type) {
        io.drover.model.Names.checkName("TYPE", type);
        return "/v1/types/" + URLEncoder.encode(type, StandardCharsets.UTF_8);
    }

    @Override
    public Integer call() {
        if (maxConcurrent == null
                && maxLive == null
                && breaker == null
                && !noBreaker
                && rate == null
                && burst == null
                && !noRate
                && whenOpen == null
                && fallback == null) {
            throw usage(
                    "nothing to set: give --max-concurrent, --max-live, --breaker, --no-breaker,"
                            + " --rate, --burst, --no-rate, --when-open or --fallback");
        }
        if (breaker != null && noBreaker) {
            throw usage("--breaker and --no-breaker exclude each other");
        }
        if ((rate != null || burst != null) && noRate) {
            throw usage("--rate and --burst exclude --no-rate");
        }
        CircuitBreakerPolicy newBreaker = breaker == null ? null : parseBreaker(breaker);
        TypePolicy.WhenOpen mode =
                whenOpen != null
                        ? TypePolicyArgs.whenOpen(whenOpen)
                        : fallback != null ? TypePolicy.WhenOpen.FALLBACK : null;
        ApiClient api = options.client();
        for (int i = 1; ; i++) {
            JsonNode current = current(api);
            JsonNode policy = current == null ? null : current.get("policy");
            PutTypeRequest request =
                    new PutTypeRequest(
                            maxConcurrent != null
                                    ? maxConcurrent
                                    : policy == null || policy.isNull()
                                            ? null
                                            : policy.path("maxConcurrent").asInt(),
                            noBreaker
                                    ? null
                                    : newBreaker != null ? newBreaker : currentBreaker(policy),
                            maxLive != null
                                    ? maxLive
                                    : policy == null || policy.isNull()
                                            ? null
                                            : policy.path("maxLiveTasks").asLong(),
                            noRate ? null : TypePolicyArgs.rate(rate, burst, policy),
                            mode != null
                                    ? mode
                                    : noBreaker ? null : TypePolicyArgs.currentWhenOpen(policy),
                            fallback != null
                                    ? fallback
                                    : noBreaker
                                                    || (mode != null
                                                            && mode != TypePolicy.WhenOpen.FALLBACK)
                                            ? null
                                            : TypePolicyArgs.text(policy, "fallbackType"));
            Map<String, String> precondition =
                    current != null && current.hasNonNull("policyVersion")
                            ? Map.of("If-Match", "\"" + current.get("policyVersion").asInt() + "\"")
                            : Map.of("If-None-Match", "*");
            try {
                JsonNode view = api.put(path(type), request, precondition);
                print(view, precondition.containsKey("If-None-Match"));
                return ExitCodes.OK;
            } catch (ApiException e) {
                if (e.status() != 412 || i == TRIES) {
                    throw e;
                }
            }
        }
    }

    private void print(JsonNode view, boolean created) {
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, view);
            return;
        }
        out.println(type + (created ? " policy created" : " policy updated"));
        Printer.type(out, view);
    }

    /** The type as the API shows it now; null when nothing is known of it. */
    private JsonNode current(ApiClient api) {
        try {
            return api.get(path(type));
        } catch (ApiException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static CircuitBreakerPolicy currentBreaker(JsonNode policy) {
        if (policy == null || !policy.path("breaker").isObject()) {
            return null;
        }
        JsonNode b = policy.get("breaker");
        return new CircuitBreakerPolicy(
                b.path("failureRateThreshold").asDouble(),
                b.path("windowSize").asInt(),
                b.path("minCalls").asInt(),
                b.path("openMs").asLong());
    }

    /** {@code failureRate=0.5,window=20,minCalls=10,open=30s}; every key once, nothing else. */
    static CircuitBreakerPolicy parseBreaker(String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : text.split(",", -1)) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part.strip() : part.substring(0, eq).strip();
            if (eq < 0
                    || !BREAKER_KEYS.contains(key)
                    || kv.put(key, part.substring(eq + 1).strip()) != null) {
                throw usage(
                        "--breaker must be failureRate=R,window=N,minCalls=N,open=DURATION with each"
                                + " key once, was '"
                                + text
                                + "'");
            }
        }
        if (kv.size() != BREAKER_KEYS.size()) {
            throw usage(
                    "--breaker needs all of failureRate, window, minCalls and open, was '"
                            + text
                            + "'");
        }
        try {
            return new CircuitBreakerPolicy(
                    Double.parseDouble(kv.get("failureRate")),
                    Integer.parseInt(kv.get("window")),
                    Integer.parseInt(kv.get("minCalls")),
                    Durations.toMillis("--breaker open", kv.get("open")));
        } catch (NumberFormatException e) {
            throw usage(
                    "--breaker: failureRate must be a number, window and minCalls whole numbers,"
                            + " was '"
                            + text
                            + "'");
        }
    }

    private static ApiException usage(String message) {
        return new ApiException(message, ExitCodes.USAGE, false, null);
    }
}
