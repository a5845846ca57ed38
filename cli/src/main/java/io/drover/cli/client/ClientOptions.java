package io.drover.cli.client;

import picocli.CommandLine.Option;

/** Options every client command shares: where the API is and how to print. */
public final class ClientOptions {
    public enum Format {
        table,
        json
    }

    @Option(
            names = "--url",
            description =
                    "The coordinator's API URL (env DROVER_URL; default: http://localhost:8080).")
    String url;

    @Option(
            names = {"-o", "--output"},
            description = "Output format: ${COMPLETION-CANDIDATES} (default: table).",
            defaultValue = "table")
    Format output;

    public ApiClient client() {
        String env = System.getenv("DROVER_URL");
        String u =
                url != null ? url : env != null && !env.isBlank() ? env : "http://localhost:8080";
        return new ApiClient(u);
    }

    public boolean json() {
        return output == Format.json;
    }
}
