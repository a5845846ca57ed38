package io.drover.cli;

import picocli.CommandLine.Option;

/** The options of {@code drover bench} (its throughput run); validated by the command. */
final class BenchOptions {
    @Option(
            names = "--tasks",
            description = "No-op tasks in the throughput run (default: ${DEFAULT-VALUE}).",
            defaultValue = "20000")
    int tasks;

    @Option(
            names = "--workers",
            description =
                    "Workers, each with its own ZooKeeper session (default: ${DEFAULT-VALUE}).",
            defaultValue = "4")
    int workers;

    @Option(
            names = "--capacity",
            description = "Slots per worker (default: ${DEFAULT-VALUE}).",
            defaultValue = "64")
    int capacity;

    @Option(
            names = "--light-tasks",
            description = "Tasks of the light-load run, one at a time (default: ${DEFAULT-VALUE}).",
            defaultValue = "200")
    int lightTasks;

    @Option(
            names = "--raw-ops",
            description = "Creates of the raw ceiling run (default: ${DEFAULT-VALUE}).",
            defaultValue = "20000")
    int rawOps;

    @Option(
            names = "--zk",
            description =
                    "An existing ZooKeeper (HOST:PORT); default: an embedded one in a temporary folder.")
    String zk;

    @Option(
            names = "--runs",
            description =
                    "Measured repetitions, each a raw ceiling and a burst; medians and spread over"
                            + " them (default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    int runs;

    @Option(
            names = "--warmup",
            description =
                    "Tasks (and as many raw creates) run first and discarded, so that the runs"
                            + " measure compiled code (default: ${DEFAULT-VALUE}).",
            defaultValue = "10000")
    int warmup;

    @Option(
            names = "--multi-size",
            description =
                    "Creates per multi of the raw multi ceiling, at most 1,000 (default:"
                            + " ${DEFAULT-VALUE}).",
            defaultValue = "100")
    int multiSize;

    @Option(
            names = "--backlog",
            description =
                    "Tasks of a type no worker handles, submitted before each run and left"
                            + " pending: the runs dispatch past a deep queue (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    int backlog;

    @Option(
            names = "--retain",
            description =
                    "Keep at most this many ended tasks, collecting every --gc-interval, so"
                            + " that retention deletes while the runs dispatch (default: the"
                            + " coordinator's cap, collected every minute).")
    Integer retain;

    @Option(
            names = "--gc-interval",
            description =
                    "With --retain: how often retention collects, as 1s or 500ms (default:"
                            + " 1s).")
    String gcInterval;

    @Option(
            names = "--keep",
            description =
                    "With --zk: leave the last run's cluster in ZooKeeper instead of deleting it"
                            + " (to inspect it, or to measure the server's heap).")
    boolean keep;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    @Option(
            names = "--secure",
            description =
                    "Every process on ZooKeeper identities of its own (digest) under an ACL"
                            + " policy, as a secured cluster runs.")
    boolean secure;
}
