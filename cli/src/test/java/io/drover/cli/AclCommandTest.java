package io.drover.cli;

import static io.drover.cli.CliTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliTest.Result;
import io.drover.cli.client.ExitCodes;
import io.drover.testkit.ZooKeeperServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code drover acl digest | apply | check} as an operator securing a cluster runs them. */
class AclCommandTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();
    @TempDir Path dir;

    private Path cred(String user) throws Exception {
        return Files.writeString(dir.resolve(user + ".cred"), user + ":secret-of-" + user + "\n");
    }

    private String digest(Path file) {
        Result r = drover("acl", "digest", file.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return r.out().strip();
    }

    /** A policy with a digest identity per role, the admin's credentials in {@code admin}. */
    private Path policy(Path admin) throws Exception {
        return Files.writeString(
                dir.resolve("policy.yml"),
                "admin: ['%s']\ncoordinator: ['%s']\nclient: ['%s']\nworker: ['%s']\nworkers:\n  w1: '%s'\n"
                        .formatted(
                                digest(admin),
                                digest(cred("coordinator")),
                                digest(cred("client")),
                                digest(cred("worker")),
                                digest(cred("w1"))));
    }

    @Test
    void digestApplyCheck_securesACluster_andCheckFindsNothingLeft() throws Exception {
        String cluster = ZK.uniqueCluster();
        Path admin = cred("admin");
        String adminId = digest(admin);
        assertThat(adminId).startsWith("digest:admin:").doesNotContain("secret");
        Path policy = policy(admin);
        String[] zk = {"--zk", ZK.connectString(), "--cluster", cluster};

        Result unsecured = drover(concat(new String[] {"acl", "check"}, zk));
        assertThat(unsecured.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unsecured.err()).contains("has no ACL policy");

        Result applied =
                drover(
                        concat(
                                new String[] {
                                    "acl",
                                    "apply",
                                    "--policy",
                                    policy.toString(),
                                    "--zk-credentials",
                                    admin.toString()
                                },
                                zk));
        assertThat(applied.code()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("node(s) fixed");

        Result checked =
                drover(
                        concat(
                                new String[] {"acl", "check", "--zk-credentials", admin.toString()},
                                zk));
        assertThat(checked.code()).as(checked.err()).isZero();
        assertThat(checked.out()).contains("0 node(s) differ");

        Result anonymous = drover(concat(new String[] {"acl", "check"}, zk));
        assertThat(anonymous.code()).isEqualTo(ExitCodes.DENIED);
        assertThat(anonymous.err()).contains("ZooKeeper refused").contains("NoAuth");
    }

    @Test
    void aSecuredLayout1Cluster_isUpgradedByItsAdmin_andEveryMovedNodeKeepsTheAclItsPathGets()
            throws Exception {
        String cluster = ZK.uniqueCluster();
        CuratorFramework open = ZK.newClient();
        LayoutCommandTest.layout1ClusterWithPendingTasks(open, cluster, 50);
        open.close();
        Path admin = cred("admin");
        String[] asAdmin = {
            "--zk", ZK.connectString(), "--cluster", cluster, "--zk-credentials", admin.toString()
        };
        Result applied =
                drover(
                        concat(
                                new String[] {"acl", "apply", "--policy", policy(admin).toString()},
                                asAdmin));
        assertThat(applied.code()).as(applied.err()).isZero();

        Result anonymous =
                drover("layout", "upgrade", "--zk", ZK.connectString(), "--cluster", cluster);
        assertThat(anonymous.code()).isEqualTo(ExitCodes.DENIED);

        Result upgraded = drover(concat(new String[] {"layout", "upgrade"}, asAdmin));
        assertThat(upgraded.code()).as(upgraded.err()).isZero();
        assertThat(upgraded.out()).contains("is in layout 2");
        Result checked = drover(concat(new String[] {"acl", "check"}, asAdmin));
        assertThat(checked.code()).as(checked.err()).isZero();
        assertThat(checked.out()).contains("0 node(s) differ");
    }

    @Test
    void aPolicyWithAPasswordInsteadOfItsDigest_isRefusedNamingTheField() throws Exception {
        Path policy =
                Files.writeString(
                        dir.resolve("bad.yml"),
                        "admin: ['digest:admin:hunter2']\ncoordinator: ['sasl:c']\nworker: ['sasl:w']\n");

        Result r =
                drover(
                        "acl",
                        "apply",
                        "--policy",
                        policy.toString(),
                        "--zk",
                        ZK.connectString(),
                        "--cluster",
                        ZK.uniqueCluster());

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("admin[0] must be digest:user:hash");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
