package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "drain",
        mixinStandardHelpOptions = true,
        description = {
            "Asks a worker to take no new tasks, finish the ones it runs (handing back what outlasts its drain grace),",
            "then leave the cluster. The leader sends its share elsewhere meanwhile."
        },
        footer = {
            "",
            "Examples:",
            "  drover drain worker-2",
            "",
            "Exit codes: 0 requested, 4 no such live worker, 3 API unreachable."
        })
public final class DrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Parameters(paramLabel = "WORKER", description = "The worker id (see drover workers).")
    String worker;

    @Override
    public Integer call() {
        JsonNode r =
                options.client()
                        .post(
                                "/v1/workers/" + ApiClient.segment("WORKER", worker) + "/drain",
                                null);
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, r);
        } else {
            out.println(
                    "REQUESTED".equals(r.path("outcome").asText())
                            ? "drain requested for " + worker
                            : worker + " is already draining");
            out.flush();
        }
        return ExitCodes.OK;
    }
}
