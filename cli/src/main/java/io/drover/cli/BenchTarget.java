package io.drover.cli;

import picocli.CommandLine.Option;

/** The options every smaller bench shares: which ZooKeeper it runs on, and how it reports. */
final class BenchTarget {
    @Option(
            names = "--zk",
            description =
                    "An existing ZooKeeper (HOST:PORT); default: an embedded one in a temporary"
                            + " folder.")
    String zk;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;
}
