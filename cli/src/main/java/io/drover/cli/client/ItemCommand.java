package io.drover.cli.client;

import picocli.CommandLine.Command;

/**
 * {@code drover item put|get|delete}: one load/drop item. It runs nothing itself: a subcommand is
 * required.
 */
@Command(
        name = "item",
        mixinStandardHelpOptions = true,
        description = {
            "Declares, shows or removes one load/drop item.",
            "The leader has the wanted number of workers with an item handler (and the",
            "item's labels) load it, and drops it where it is not wanted."
        },
        subcommands = {ItemPutCommand.class, ItemGetCommand.class, ItemDeleteCommand.class},
        footer = {
            "",
            "Examples:",
            "  drover item put seg-1 --replicas 2 --spec '{\"uri\":\"s3://b/seg-1\"}'",
            "  drover item get seg-1",
            "  drover item delete seg-1"
        })
public final class ItemCommand {}
