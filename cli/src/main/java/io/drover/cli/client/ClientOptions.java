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
            names = "--zk",
            description =
                    "Find the coordinators in this ZooKeeper (HOST:PORT,...; env DROVER_ZK) instead"
                            + " of naming one with --url; the CLI moves to another when the one it"
                            + " uses stops answering.")
    String zk;

    @Option(
            names = "--cluster",
            description = "The cluster to find with --zk (env DROVER_CLUSTER; default: default).")
    String cluster;

    @Option(
            names = "--context",
            description =
                    "A context saved with drover context add (env DROVER_CONTEXT; default: the"
                            + " current one).")
    String context;

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

    /**
     * The API client: flags first, then environment variables, then the context, then {@code
     * http://localhost:8080}. A URL names one coordinator; a ZooKeeper finds them all.
     */
    public ApiClient client() {
        Contexts.Context ctx = Contexts.resolve(first(context, env("DROVER_CONTEXT")));
        Contexts.Context none = new Contexts.Context(null, null, null, null, null);
        Contexts.Context c = ctx == null ? none : ctx;
        String u = first(url, url == null && zk == null ? env("DROVER_URL") : null);
        String z = first(zk, u == null ? env("DROVER_ZK") : null);
        if (u == null && z == null) {
            u = c.url();
            z = u == null ? c.zk() : null;
        }
        String ca = first(str(caCert), env("DROVER_CACERT"), c.cacert());
        java.nio.file.Path caPath = ca == null ? null : java.nio.file.Path.of(ca);
        String token = token(c.tokenFile());
        if (z != null) {
            String name = first(cluster, env("DROVER_CLUSTER"), c.cluster(), "default");
            return new ApiClient(Discovery.apiUrls(z, name), token, caPath);
        }
        return new ApiClient(first(u, "http://localhost:8080"), token, caPath);
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : v;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private String token(String contextFile) {
        String file = first(str(tokenFile), env("DROVER_TOKEN_FILE"));
        if (file == null && env("DROVER_TOKEN") != null) {
            return env("DROVER_TOKEN").strip();
        }
        file = first(file, contextFile);
        if (file == null) {
            return null;
        }
        java.nio.file.Path from = java.nio.file.Path.of(file);
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
