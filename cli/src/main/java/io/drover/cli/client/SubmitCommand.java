package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.model.InvalidTaskException;
import io.drover.server.api.BatchSubmitRequest;
import io.drover.server.api.SubmitRequest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Submits a task (or --count copies) through the HTTP API.",
            "Prints the task id; with --wait, follows it to the end."
        },
        footer = {
            "",
            "Examples:",
            "  drover submit --type echo --payload '{\"hello\":\"world\"}' --wait",
            "  drover submit --type sleep --payload @job.json --priority 5 --timeout 30s --label zone=eu",
            "  drover submit --type noop --count 100 -o json",
            "  drover submit --type report --after extract-1 --after extract-2 --wait",
            "",
            "Exit codes: 0 submitted (with --wait: succeeded), 1 the task failed or was cancelled, 2 bad input, 3 API unreachable."
        })
public final class SubmitCommand implements Callable<Integer> {
    static final int BATCH = 1_000;

    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Option(names = "--type", required = true, description = "The handler type, e.g. echo.")
    String type;

    @Option(
            names = "--timeout",
            description = "Execution timeout of one attempt, e.g. 30s or 5m (default none).")
    String timeout;

    @Mixin TaskOptions task;

    @Option(
            names = "--count",
            description = "Submit this many copies (default 1).",
            defaultValue = "1")
    int count;

    @Option(
            names = "--wait",
            description =
                    "Wait for the end, with a progress bar; exit non-zero unless every task succeeded.")
    boolean await;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (count < 1 || count > 100_000) {
            throw new InvalidTaskException("--count", "must be between 1 and 100000, was " + count);
        }
        if (count > 1 && task.named()) {
            throw new InvalidTaskException(
                    "--count",
                    "cannot be combined with --key or --id: copies need ids of their own");
        }
        Long timeoutMs = timeout == null ? null : Durations.toMillis("--timeout", timeout);
        // The CLI names what it submits, so that a submission sent again after an answer was lost
        // (the coordinator died mid-request) finds the task instead of making a second one, and so
        // that --wait can follow the whole run with one filter.
        String run = task.named() ? null : runPrefix();
        SubmitRequest request =
                task.request(type, run != null && count == 1 ? run + "1" : task.id, timeoutMs);
        ApiClient api = options.client();
        List<String> ids = new ArrayList<>();
        List<JsonNode> results = new ArrayList<>();
        if (count == 1) {
            JsonNode r = api.post("/v1/tasks", request);
            ids.add(r.get("id").asText());
            results.add(r);
        } else {
            ApiException firstRejection = null;
            int rejected = 0;
            for (int done = 0; done < count; done += BATCH) {
                int n = Math.min(BATCH, count - done);
                JsonNode r =
                        api.post(
                                "/v1/tasks/batch",
                                new BatchSubmitRequest(copies(request, run, done, n)));
                for (JsonNode item : r.get("results")) {
                    if (item.has("error")) {
                        rejected++;
                        if (firstRejection == null) {
                            firstRejection =
                                    new ApiException(
                                            item.get("error").asText(),
                                            ExitCodes.forStatus(item.path("status").asInt(500)),
                                            false,
                                            null);
                        }
                    } else {
                        ids.add(item.get("id").asText());
                        results.add(item);
                    }
                }
            }
            if (firstRejection != null) {
                // The accepted ones stay accepted: say which they are before failing, so nothing is
                // resubmitted blindly.
                print(out, results, ids);
                throw new ApiException(
                        rejected
                                + " of "
                                + count
                                + " tasks were not accepted ("
                                + ids.size()
                                + " were, listed above); the first reason: "
                                + firstRejection.getMessage(),
                        firstRejection.exitCode(),
                        false,
                        null);
            }
        }
        if (await) {
            return new Follower(
                            api,
                            spec.commandLine().getOut(),
                            spec.commandLine().getErr(),
                            options.json())
                    .follow(ids, run);
        }
        print(out, results, ids);
        return ExitCodes.OK;
    }

    /** A prefix no other run shares: {@code <10 random letters and digits>-}. */
    static String runPrefix() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder b = new StringBuilder(11);
        for (int i = 0; i < 10; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.append('-').toString();
    }

    /** Copies {@code from+1 .. from+n} of the request, each named {@code <run><number>}. */
    private static List<SubmitRequest> copies(SubmitRequest r, String run, int from, int n) {
        List<SubmitRequest> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            out.add(run == null ? r : r.withId(run + (from + i)));
        }
        return out;
    }

    private void print(PrintWriter out, List<JsonNode> results, List<String> ids) {
        if (options.json()) {
            Printer.json(
                    out, count == 1 ? results.get(0) : DroverJson.mapper().valueToTree(results));
        } else {
            ids.forEach(out::println);
            out.flush();
        }
    }
}
