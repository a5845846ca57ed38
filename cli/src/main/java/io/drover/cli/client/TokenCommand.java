package io.drover.cli.client;

import io.drover.server.auth.Role;
import io.drover.server.auth.Tokens;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = {
            "Makes a new API token and prints the entry for the servers' principals file",
            "(security.principalsFile), which stores only the token's SHA-256. Roles: reader,",
            "submitter, operator, admin; each includes the ones before it."
        },
        footer = {
            "",
            "Examples:",
            "  drover token --name ci --roles submitter --out ci.token",
            "  DROVER_TOKEN_FILE=ci.token drover submit --type echo --payload '{}'"
        })
public final class TokenCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--name",
            required = true,
            description = "Who the token is for (the audit log shows it).")
    String name;

    @Option(
            names = "--roles",
            required = true,
            split = ",",
            description = "The token's roles, comma-separated.")
    List<String> roles;

    @Option(
            names = "--out",
            description =
                    "Write the token to this new file (readable by its owner only) instead of"
                            + " printing it.")
    Path out;

    @Override
    public Integer call() throws IOException {
        String roleList;
        try {
            roleList =
                    roles.stream()
                            .map(r -> Role.parse(r.strip()).wireName())
                            .distinct()
                            .collect(Collectors.joining(", "));
        } catch (IllegalArgumentException e) {
            throw new ApiException("--roles: " + e.getMessage(), ExitCodes.USAGE, false, e);
        }
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}")) {
            throw new ApiException(
                    "--name must be 1-128 letters, digits, '.', '_', '@' or '-'",
                    ExitCodes.USAGE,
                    false,
                    null);
        }
        String token = Tokens.newToken();
        PrintWriter stdout = spec.commandLine().getOut();
        if (out != null) {
            // Created owner-only, so the token is never readable by others, not even for a moment.
            Files.createFile(
                    out,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
            Files.writeString(out, token + "\n", StandardOpenOption.WRITE);
        } else {
            spec.commandLine().getErr().println("token (shown once): " + token);
            spec.commandLine().getErr().flush();
        }
        stdout.printf(
                "# add under tokens: in the principals file%n"
                        + "  - name: %s%n    sha256: %s%n    roles: [%s]%n",
                name, Tokens.sha256Hex(token), roleList);
        stdout.flush();
        return ExitCodes.OK;
    }
}
