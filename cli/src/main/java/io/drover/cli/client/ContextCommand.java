package io.drover.cli.client;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "context",
        mixinStandardHelpOptions = true,
        description = {
            "Named contexts, like kubectl's: a cluster's API (a URL, or a ZooKeeper to find the"
                    + " coordinators in) and the files of the operator's credentials, so that"
                    + " commands need no flags. Kept in ~/.drover/contexts.json (env DROVER_CONFIG),"
                    + " readable by its owner only; it names token files, never holds a token.",
            "Flags and environment variables still win over the context."
        },
        subcommands = {
            ContextCommand.Add.class,
            ContextCommand.Use.class,
            ContextCommand.ListContexts.class,
            ContextCommand.Delete.class
        },
        footer = {
            "",
            "Examples:",
            "  drover context add prod --zk zk1:2181,zk2:2181 --cluster prod --token-file ~/.drover/prod.token",
            "  drover context add local --url http://127.0.0.1:8080",
            "  drover context use prod",
            "  drover --context local tasks      (or DROVER_CONTEXT=local)"
        })
public final class ContextCommand {
    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Adds or replaces a context, and makes it current if none is.")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The context's name.")
        String name;

        @Option(names = "--url", description = "One coordinator's API URL.")
        String url;

        @Option(
                names = "--zk",
                description = "A ZooKeeper connect string to find the coordinators in.")
        String zk;

        @Option(
                names = "--cluster",
                description = "The cluster's name with --zk (default: default).")
        String cluster;

        @Option(names = "--token-file", description = "The file holding the API token.")
        Path tokenFile;

        @Option(names = "--cacert", description = "A PEM file of the CA certificates to trust.")
        Path cacert;

        @Override
        public Integer call() {
            io.drover.model.Names.checkName("NAME", name);
            if ((url == null) == (zk == null)) {
                throw new ApiException(
                        "give exactly one of --url and --zk: where the API is, or where to find it",
                        ExitCodes.USAGE,
                        false,
                        null);
            }
            if (url != null) {
                new ApiClient(url); // checks it is an http(s) URL
            }
            Contexts.File f = Contexts.read();
            Map<String, Contexts.Context> all = f.contexts();
            all.put(
                    name,
                    new Contexts.Context(
                            url,
                            zk,
                            cluster,
                            tokenFile == null ? null : tokenFile.toAbsolutePath().toString(),
                            cacert == null ? null : cacert.toAbsolutePath().toString()));
            Contexts.write(new Contexts.File(f.current() == null ? name : f.current(), all));
            spec.commandLine().getOut().println("context " + name + " saved in " + Contexts.path());
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "use",
            mixinStandardHelpOptions = true,
            description = "Makes a context the current one.")
    static final class Use implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Contexts.File f = Contexts.read();
            if (!f.contexts().containsKey(name)) {
                throw Contexts.unknown(name, ExitCodes.NOT_FOUND);
            }
            Contexts.write(new Contexts.File(name, f.contexts()));
            spec.commandLine().getOut().println("current context: " + name);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the contexts; * marks the current one.")
    static final class ListContexts implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            Contexts.File f = Contexts.read();
            List<List<String>> rows = new ArrayList<>();
            f.contexts()
                    .forEach(
                            (n, c) ->
                                    rows.add(
                                            List.of(
                                                    n.equals(f.current()) ? "*" : "",
                                                    n,
                                                    c.url() != null
                                                            ? c.url()
                                                            : "zk "
                                                                    + c.zk()
                                                                    + " cluster "
                                                                    + (c.cluster() == null
                                                                            ? "default"
                                                                            : c.cluster()),
                                                    c.tokenFile() == null ? "" : c.tokenFile())));
            PrintWriter out = spec.commandLine().getOut();
            Printer.table(out, List.of("CURRENT", "NAME", "API", "TOKEN-FILE"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a context.")
    static final class Delete implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Contexts.File f = Contexts.read();
            if (f.contexts().remove(name) == null) {
                throw Contexts.unknown(name, ExitCodes.NOT_FOUND);
            }
            Contexts.write(
                    new Contexts.File(name.equals(f.current()) ? null : f.current(), f.contexts()));
            spec.commandLine().getOut().println("context " + name + " deleted");
            return ExitCodes.OK;
        }
    }
}
