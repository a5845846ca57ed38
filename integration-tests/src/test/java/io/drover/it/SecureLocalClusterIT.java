package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.client.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/drover-local-cluster up --secure} from a fresh checkout: ZooKeeper TLS-only with x509
 * enforced, quorum TLS, ACLs per role, HTTPS with tokens; driven through the CLI as its output
 * says.
 */
class SecureLocalClusterIT {
    private final LocalClusterScript script =
            new LocalClusterScript("secure-local-cluster-it", 23_000);

    @AfterEach
    void down() throws Exception {
        LocalClusterScript.Run r = script.localCluster("down");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(script.localCluster("status").out()).doesNotContain("running");
    }

    @Test
    void upSecure_theCliWorksWithTheTokenAndCa_andNothingWorksWithout() throws Exception {
        LocalClusterScript.Run up = script.localCluster("up", "--secure");
        assertThat(up.exit()).as(up.out() + up.err()).isZero();
        Path secrets = script.clusterDir().resolve("secrets");
        String api = "https://127.0.0.1:" + script.port(8080);
        assertThat(up.out())
                .contains("API: " + api)
                .contains("DROVER_CACERT=" + secrets.resolve("ca.pem"))
                .contains("DROVER_TOKEN_FILE=" + secrets.resolve("admin.token"));
        assertThat(Files.getPosixFilePermissions(secrets))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));

        script.withEnv("DROVER_URL", api)
                .withEnv("DROVER_CACERT", secrets.resolve("ca.pem").toString());
        LocalClusterScript.Run anonymous = script.drover("cluster");
        assertThat(anonymous.exit()).isEqualTo(ExitCodes.DENIED);

        script.withEnv("DROVER_TOKEN_FILE", secrets.resolve("admin.token").toString());
        JsonNode cluster = script.json("cluster");
        assertThat(cluster.get("workers").asInt()).isEqualTo(3);
        assertThat(cluster.get("coordinators")).hasSize(2);
        LocalClusterScript.Run submitted =
                script.drover(
                        "submit",
                        "--type",
                        "echo",
                        "--payload",
                        "{\"secure\":true}",
                        "--count",
                        "10",
                        "--wait");
        assertThat(submitted.exit()).as(submitted.err()).isZero();
        assertThat(script.json("tasks", "--state", "SUCCEEDED")).hasSize(10);

        String zk = "127.0.0.1:" + script.port(2281);
        String[] tls = {
            "--zk", zk,
            "--zk-tls-keystore", secrets.resolve("admin.p12").toString(),
            "--zk-tls-truststore", secrets.resolve("trust.p12").toString(),
            "--zk-tls-password-file", secrets.resolve("tls.password").toString()
        };
        LocalClusterScript.Run checked =
                script.drover(
                        concat(
                                new String[] {
                                    "acl",
                                    "check",
                                    "--zk-credentials",
                                    secrets.resolve("zk-admin.cred").toString()
                                },
                                tls));
        assertThat(checked.exit()).as(checked.out() + checked.err()).isZero();
        assertThat(checked.out()).contains("0 node(s) differ");

        LocalClusterScript.Run noCredentials =
                script.drover(concat(new String[] {"acl", "check"}, tls));
        assertThat(noCredentials.exit()).isEqualTo(ExitCodes.DENIED);

        LocalClusterScript.Run plain = script.drover("fsck", "--zk", zk);
        assertThat(plain.exit()).as("no plain port").isEqualTo(ExitCodes.UNAVAILABLE);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
