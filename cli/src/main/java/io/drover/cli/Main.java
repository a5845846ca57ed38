package io.drover.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.drover.cli.client.ApiException;
import io.drover.cli.client.BroadcastCommand;
import io.drover.cli.client.CancelCommand;
import io.drover.cli.client.ClusterCommand;
import io.drover.cli.client.ContextCommand;
import io.drover.cli.client.DrainCommand;
import io.drover.cli.client.GraphCommand;
import io.drover.cli.client.GraphsCommand;
import io.drover.cli.client.ItemCommand;
import io.drover.cli.client.ItemsCommand;
import io.drover.cli.client.RetryCommand;
import io.drover.cli.client.RunCommand;
import io.drover.cli.client.ScheduleCommand;
import io.drover.cli.client.SchedulesCommand;
import io.drover.cli.client.SubmitCommand;
import io.drover.cli.client.TaskCommand;
import io.drover.cli.client.TasksCommand;
import io.drover.cli.client.TokenCommand;
import io.drover.cli.client.TypeCommand;
import io.drover.cli.client.TypesCommand;
import io.drover.cli.client.WatchCommand;
import io.drover.cli.client.WorkersCommand;
import io.drover.model.DroverException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code drover} command. Exit codes: see {@link io.drover.cli.client.ExitCodes}. */
@Command(
        name = "drover",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Drover: a ZooKeeper-coordinated task distribution cluster.",
        subcommands = {
            QuickstartCommand.class,
            ServeCommand.Coordinator.class,
            ServeCommand.Worker.class,
            ZooKeeperCommand.class,
            SubmitCommand.class,
            RunCommand.class,
            BroadcastCommand.class,
            TasksCommand.class,
            WatchCommand.class,
            ContextCommand.class,
            TaskCommand.class,
            CancelCommand.class,
            RetryCommand.class,
            GraphsCommand.class,
            GraphCommand.class,
            WorkersCommand.class,
            DrainCommand.class,
            ItemsCommand.class,
            ItemCommand.class,
            TypesCommand.class,
            TypeCommand.class,
            SchedulesCommand.class,
            ScheduleCommand.class,
            ClusterCommand.class,
            TokenCommand.class,
            FsckCommand.class,
            LayoutCommand.class,
            AclCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Exit codes: 0 success, 1 failed, 2 bad usage or input, 3 ZooKeeper or the API unreachable, 4 not found,",
            "5 not allowed; drover run: 6 the task failed, 7 it was cancelled, 8 it did not end in time.",
            "Client commands talk to --url (env DROVER_URL, default http://localhost:8080)."
        })
public final class Main {
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_UNAVAILABLE = 3;

    @Option(
            names = {"-v", "--verbose"},
            description = "Log what Drover does (INFO level).",
            scope = CommandLine.ScopeType.INHERIT)
    void verbose(boolean on) {
        if (on) {
            ((Logger) LoggerFactory.getLogger("io.drover")).setLevel(Level.INFO);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line on the process's streams and returns the exit code. */
    public static int run(String... args) {
        return run(
                new java.io.PrintWriter(System.out, true),
                new java.io.PrintWriter(System.err, true),
                args);
    }

    /** Runs the command line and returns the exit code; for tests and embedding. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExpandAtFiles(
                false); // "--payload @job.json" is ours to read, not picocli's argument file
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // A usage error is one line that says where help is, like kubectl; the full usage is one
        // --help away.
        cl.setParameterExceptionHandler(
                (ex, args0) -> {
                    CommandLine c = ex.getCommandLine();
                    String hint =
                            ex instanceof CommandLine.UnmatchedArgumentException u
                                            && !u.getSuggestions().isEmpty()
                                    ? "; did you mean "
                                            + String.join(" or ", u.getSuggestions())
                                            + "?"
                                    : "";
                    c.getErr()
                            .println(
                                    "drover: "
                                            + ex.getMessage()
                                            + hint
                                            + " (see '"
                                            + c.getCommandSpec().qualifiedName()
                                            + " --help')");
                    c.getErr().flush();
                    return EXIT_USAGE;
                });
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    commandLine.getErr().println("drover: " + describe(e));
                    commandLine.getErr().flush();
                    if (e instanceof ApiException api) {
                        return api.exitCode();
                    }
                    if (e instanceof io.drover.model.AccessDeniedException
                            || e instanceof org.apache.zookeeper.KeeperException.NoAuthException) {
                        return io.drover.cli.client.ExitCodes.DENIED;
                    }
                    return e instanceof DroverException d && d.isRetryable()
                            ? EXIT_UNAVAILABLE
                            : e instanceof io.drover.model.InvalidTaskException
                                    ? EXIT_USAGE
                                    : e instanceof IllegalArgumentException
                                            ? EXIT_USAGE
                                            : EXIT_FAILED;
                });
        return cl.execute(args);
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.ExecutionException
                        || t instanceof java.util.concurrent.CompletionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (t instanceof org.apache.zookeeper.KeeperException.NoAuthException) {
            return "ZooKeeper refused: the credentials given (--zk-credentials) do not allow this ("
                    + m
                    + ")";
        }
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"drover " + (v == null ? "dev" : v)};
        }
    }
}
