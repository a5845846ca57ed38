package io.drover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.drover.cli.client.ExitCodes;
import io.drover.model.DroverJson;
import io.drover.protocol.ZooKeeperSecurity;
import io.drover.protocol.acl.AclPolicy;
import io.drover.protocol.acl.AclSweep;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.ACL;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "acl",
        mixinStandardHelpOptions = true,
        description = {
            "ZooKeeper ACLs per role (docs/security.md): the cluster's policy names the identities of",
            "admins, coordinators, clients, the worker role and each worker; every node gets the ACL",
            "its role table gives."
        },
        subcommands = {AclCommand.Digest.class, AclCommand.Apply.class, AclCommand.Check.class})
final class AclCommand {
    private AclCommand() {}

    @Command(
            name = "digest",
            mixinStandardHelpOptions = true,
            description =
                    "Prints the ACL id (digest:user:hash) of a credentials file (user:password), for"
                            + " the policy: the password itself never goes into ZooKeeper.")
    static final class Digest implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "Credentials files.")
        List<Path> files;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            files.forEach(f -> out.println(ZooKeeperSecurity.digestAclId(f)));
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description = {
                "Stores the policy as the cluster's, creates the cluster's folders if needed, and sets",
                "every node's ACL to what the table says. Run it with the admin identity, first when",
                "securing a cluster and again after adding a worker or rotating a digest password."
            },
            footer = {
                "",
                "Example:",
                "  drover acl apply --zk zk1:2181 --zk-credentials admin.cred --policy policy.yml"
            })
    static final class Apply implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ZooKeeperOptions zooKeeper;

        @Option(
                names = "--policy",
                required = true,
                description =
                        "YAML: admin, coordinator, client, worker (lists of scheme:id) and workers"
                                + " (worker id: scheme:id).")
        Path policy;

        @Override
        public Integer call() throws Exception {
            AclPolicy p = read(policy);
            try (CuratorFramework admin = zooKeeper.connect()) {
                List<AclSweep.Mismatch> fixed = AclSweep.apply(admin, zooKeeper.paths(), p);
                return report(spec, fixed, "set");
            }
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description =
                    "Lists every node whose ACL differs from the cluster's policy; exits 1 if any.")
    static final class Check implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ZooKeeperOptions zooKeeper;

        @Override
        public Integer call() throws Exception {
            try (CuratorFramework client = zooKeeper.connect()) {
                if (client.checkExists().forPath(zooKeeper.paths().aclPolicy()) == null) {
                    throw new IllegalArgumentException(
                            "cluster "
                                    + zooKeeper.cluster
                                    + " has no ACL policy: every node is open; secure it with"
                                    + " drover acl apply");
                }
                return report(spec, AclSweep.check(client, zooKeeper.paths()), "differs");
            }
        }
    }

    static AclPolicy read(Path file) throws IOException {
        JsonNode tree;
        try {
            tree = new YAMLMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "--policy " + file + " is not readable YAML: " + e.getMessage(), e);
        }
        if (!(tree instanceof ObjectNode o)) {
            throw new IllegalArgumentException("--policy " + file + " must be a YAML map");
        }
        if (!o.has("v")) {
            o.put("v", AclPolicy.FORMAT);
        }
        try {
            return AclPolicy.decode(DroverJson.mapper().writeValueAsBytes(o));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--policy " + file + ": " + e.getMessage(), e);
        }
    }

    private static int report(CommandSpec spec, List<AclSweep.Mismatch> found, String verb) {
        PrintWriter out = spec.commandLine().getOut();
        for (AclSweep.Mismatch m : found) {
            out.println(
                    m.path()
                            + ": "
                            + (m.problem() != null
                                    ? m.problem()
                                    : verb + " " + show(m.actual()) + " -> " + show(m.expected())));
        }
        out.println(found.size() + " node(s) " + (verb.equals("set") ? "fixed" : "differ"));
        out.flush();
        boolean unresolved = found.stream().anyMatch(m -> m.problem() != null);
        return verb.equals("set") && !unresolved || found.isEmpty()
                ? ExitCodes.OK
                : ExitCodes.FAILED;
    }

    private static String show(List<ACL> acls) {
        return acls.stream()
                .map(
                        a ->
                                a.getId().getScheme()
                                        + ":"
                                        + a.getId().getId()
                                        + "="
                                        + perms(a.getPerms()))
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String perms(int p) {
        String letters = "rwcda";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            if ((p & (1 << i)) != 0) {
                sb.append(letters.charAt(i));
            }
        }
        return sb.toString();
    }
}
