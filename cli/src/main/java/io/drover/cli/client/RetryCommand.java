package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drover.model.DroverJson;
import io.drover.model.InvalidTaskException;
import java.io.Console;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "retry",
        mixinStandardHelpOptions = true,
        description = {
            "Runs FAILED or CANCELLED tasks again, each as a new series of attempts (maxAttempts applies afresh).",
            "Their attempt history is kept: 'drover task ID' shows both series.",
            "By id, or in bulk by filter: the matching tasks are listed first, their number printed, and they are",
            "retried one by one once you confirm (or at once with --yes)."
        },
        footer = {
            "",
            "Examples:",
            "  drover retry 3f2a...",
            "  drover retry --state FAILED --type resize --dry-run",
            "  drover retry --state FAILED --type resize --yes",
            "",
            "Exit codes: 0 every task retried (or listed), 1 some could not be (not FAILED or CANCELLED any more, a",
            "cap on live tasks), 2 bad usage or a bulk retry not confirmed, 4 no such task, 3 API unreachable."
        })
public final class RetryCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Task ids to retry.")
    List<String> ids = new ArrayList<>();

    @Option(
            names = "--state",
            description = "Retry every task in this state: FAILED or CANCELLED (instead of ids).")
    String state;

    @Option(names = "--type", description = "With --state: only tasks of this type.")
    String type;

    @Option(
            names = "--limit",
            description = "With --state: retry at most this many (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000")
    int limit;

    @Option(names = "--yes", description = "With --state: retry without asking.")
    boolean yes;

    @Option(names = "--dry-run", description = "With --state: list what would be retried, only.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ApiClient api = options.client();
        if (state == null) {
            if (ids.isEmpty() || type != null || yes || dryRun) {
                throw new InvalidTaskException(
                        "ID", "give task ids, or --state FAILED|CANCELLED (with --type, --yes)");
            }
            if (ids.size() == 1) { // one task: its own error and exit code (4 unknown, 1 conflict)
                report(out, List.of(retry(api, ids.get(0))), false);
                return ExitCodes.OK;
            }
            return retryAll(out, api, ids);
        }
        String wanted = state.toUpperCase(Locale.ROOT);
        if (!ids.isEmpty() || !(wanted.equals("FAILED") || wanted.equals("CANCELLED"))) {
            throw new InvalidTaskException(
                    "--state",
                    ids.isEmpty()
                            ? "must be FAILED or CANCELLED, was " + state
                            : "goes without task ids");
        }
        if (limit < 1 || limit > 100_000) {
            throw new InvalidTaskException("--limit", "must be between 1 and 100000, was " + limit);
        }
        TaskPages.Listing listing = TaskPages.list(api, wanted, type, limit);
        List<String> matching = new ArrayList<>();
        listing.tasks().forEach(t -> matching.add(t.get("id").asText()));
        PrintWriter err = spec.commandLine().getErr();
        err.println(
                matching.size()
                        + (listing.more() ? "+" : "")
                        + " "
                        + wanted
                        + " task"
                        + (matching.size() == 1 ? "" : "s")
                        + (type == null ? "" : " of type " + type)
                        + " match"
                        + (listing.more() ? " (retrying the first " + limit + ")" : ""));
        err.flush();
        if (dryRun || matching.isEmpty()) {
            matching.forEach(out::println);
            out.flush();
            return ExitCodes.OK;
        }
        if (!yes && !confirmed(matching.size())) {
            throw new InvalidTaskException(
                    "--yes",
                    "not confirmed: nothing retried (add --yes, or --dry-run to list them)");
        }
        return retryAll(out, api, matching);
    }

    /** Asks on the terminal; without one (a script, a pipe) there is nobody to ask. */
    private static boolean confirmed(int n) {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        String answer = console.readLine("Retry these %d tasks? [y/N] ", n);
        return answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
    }

    private int retryAll(PrintWriter out, ApiClient api, List<String> taskIds) {
        List<JsonNode> results = new ArrayList<>();
        int failed = 0;
        for (String id : taskIds) {
            try {
                results.add(retry(api, id));
            } catch (ApiException e) {
                if (e.exitCode() == ExitCodes.UNAVAILABLE || e.exitCode() == ExitCodes.DENIED) {
                    throw e; // the next ones would fail the same way
                }
                ObjectNode r = DroverJson.mapper().createObjectNode();
                r.put("id", id);
                r.put("error", e.getMessage());
                results.add(r);
                failed++;
            }
        }
        report(out, results, true);
        PrintWriter err = spec.commandLine().getErr();
        err.println(
                "retried "
                        + (results.size() - failed)
                        + " of "
                        + results.size()
                        + (failed == 0 ? "" : "; " + failed + " could not be"));
        err.flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static JsonNode retry(ApiClient api, String id) {
        return api.post("/v1/tasks/" + ApiClient.segment("ID", id) + "/retry", null);
    }

    /** Text, or JSON: one object for one id, an array for several or a filter. */
    private void report(PrintWriter out, List<JsonNode> results, boolean many) {
        if (options.json()) {
            ArrayNode all = DroverJson.mapper().createArrayNode();
            results.forEach(all::add);
            Printer.json(out, many ? all : results.get(0));
            return;
        }
        for (JsonNode r : results) {
            out.println(
                    r.has("error")
                            ? r.get("id").asText() + ": not retried: " + r.get("error").asText()
                            : r.get("id").asText()
                                    + ": "
                                    + r.path("state").asText()
                                    + " again, series "
                                    + r.path("series").asInt());
        }
        out.flush();
    }
}
