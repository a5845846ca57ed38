package io.drover.cli.client;

import picocli.CommandLine.Command;

/**
 * {@code drover type get|set|delete}: one task type's policy. It runs nothing itself: a subcommand
 * is required.
 */
@Command(
        name = "type",
        mixinStandardHelpOptions = true,
        description = {
            "Shows, sets or removes one task type's policy: a cluster-wide limit on",
            "tasks running at once, a cap on tasks not yet ended, a circuit breaker.",
            "The leader enforces a change at once."
        },
        subcommands = {TypeGetCommand.class, TypeSetCommand.class, TypeDeleteCommand.class},
        footer = {
            "",
            "Examples:",
            "  drover type get resize",
            "  drover type set resize --max-concurrent 4 --max-live 10000",
            "  drover type set resize --breaker failureRate=0.5,window=20,minCalls=10,open=30s",
            "  drover type delete resize"
        })
public final class TypeCommand {}
