package io.drover.cli.client;

import picocli.CommandLine.Option;

/** Options every client command shares: where the API is, who calls it, and how to print. */
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
            names = "--token-file",
            description =
                    "A file holding the API token (env DROVER_TOKEN holds the token itself, or"
                            + " DROVER_TOKEN_FILE names the file). Never on the command line,"
                            + " where every user of the machine can read it.")
    java.nio.file.Path tokenFile;

    @Option(
            names = "--cacert",
            description =
                    "A PEM file of the CA certificates to trust for an https URL (env"
                            + " DROVER_CACERT; default: the JDK's).")
    java.nio.file.Path caCert;

    @Option(
            names = {"-o", "--output"},
            description = "Output format: ${COMPLETION-CANDIDATES} (default: table).",
            defaultValue = "table")
    Format output;

    public ApiClient client() {
        String env = System.getenv("DROVER_URL");
        String u =
                url != null ? url : env != null && !env.isBlank() ? env : "http://localhost:8080";
        String ca = System.getenv("DROVER_CACERT");
        return new ApiClient(
                u,
                token(),
                caCert != null
                        ? caCert
                        : ca != null && !ca.isBlank() ? java.nio.file.Path.of(ca) : null);
    }

    private String token() {
        String file = System.getenv("DROVER_TOKEN_FILE");
        java.nio.file.Path from =
                tokenFile != null
                        ? tokenFile
                        : file != null && !file.isBlank() ? java.nio.file.Path.of(file) : null;
        if (from == null) {
            String env = System.getenv("DROVER_TOKEN");
            return env == null || env.isBlank() ? null : env.strip();
        }
        try {
            String t = java.nio.file.Files.readString(from).strip();
            if (t.isEmpty()) {
                throw new java.io.IOException("it is empty");
            }
            return t;
        } catch (java.io.IOException e) {
            throw new ApiException(
                    "cannot read the token file " + from + ": " + e.getMessage(),
                    ExitCodes.USAGE,
                    false,
                    e);
        }
    }

    public boolean json() {
        return output == Format.json;
    }
}
