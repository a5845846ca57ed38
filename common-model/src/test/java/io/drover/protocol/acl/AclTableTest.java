package io.drover.protocol.acl;

import static org.apache.zookeeper.ZooDefs.Perms.ALL;
import static org.apache.zookeeper.ZooDefs.Perms.CREATE;
import static org.apache.zookeeper.ZooDefs.Perms.DELETE;
import static org.apache.zookeeper.ZooDefs.Perms.READ;
import static org.apache.zookeeper.ZooDefs.Perms.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.DroverPaths;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.Test;

/** The role table, row by row: who may change what, from the policy alone. */
class AclTableTest {
    private static final String HASH = "abcdefghijklmnopqrstuvwxyz0=";
    private final DroverPaths paths = new DroverPaths("c");
    private final AclTable table =
            new AclTable(
                    paths,
                    AclPolicy.decode(
                            ("{\"v\":1,\"admin\":[\"digest:admin:%1$s\"],\"coordinator\":[\"sasl:coord\"],"
                                            + "\"client\":[\"x509:CN=client\"],\"worker\":[\"digest:worker:%1$s\"],"
                                            + "\"workers\":{\"w1\":\"digest:w1:%1$s\",\"w2\":[\"digest:w2:%1$s\",\"digest:w2-new:%1$s\"]},"
                                            + "\"futureField\":true}")
                                    .formatted(HASH)
                                    .getBytes(StandardCharsets.UTF_8)));

    /** The ACL as {@code id=perms} in the table's order. */
    private Map<String, Integer> acl(String path) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (ACL a : table.aclFor(path)) {
            String id = a.getId().getId();
            out.put(a.getId().getScheme() + ":" + id.replace(":" + HASH, ""), a.getPerms());
        }
        return out;
    }

    @Test
    void everyRoleReads_adminsDoEverything_andTheRootIsTheAdminsAlone() {
        assertThat(acl(paths.root()))
                .containsExactly(
                        Map.entry("digest:admin", ALL),
                        Map.entry("sasl:coord", READ),
                        Map.entry("x509:CN=client", READ),
                        Map.entry("digest:worker", READ));
        assertThat(acl(paths.aclPolicy())).isEqualTo(acl(paths.root()));
        assertThat(acl(paths.layoutMarker())).isEqualTo(acl(paths.root()));
    }

    @Test
    void statuses_areWrittenByCoordinatorsAndWorkers_createdByCoordinatorsAndClients() {
        assertThat(acl(paths.status("t1")))
                .containsEntry("sasl:coord", READ | WRITE)
                .containsEntry("digest:worker", READ | WRITE)
                .containsEntry("x509:CN=client", READ);
        assertThat(acl(paths.statuses() + "/00"))
                .containsEntry("sasl:coord", READ | CREATE | DELETE)
                .containsEntry("x509:CN=client", READ | CREATE)
                .containsEntry("digest:worker", READ);
        assertThat(acl(paths.task("t1")))
                .as("a spec is never rewritten")
                .isEqualTo(acl(paths.root()));
    }

    @Test
    void theLeaderAlone_writesTheEpochAndAssignments_aWorkerOnlyItsOwnFolders() {
        assertThat(acl(paths.leaderEpoch()))
                .containsEntry("sasl:coord", READ | WRITE)
                .containsEntry("digest:worker", READ);
        assertThat(acl(paths.assignments("w1")))
                .containsEntry("digest:w1", WRITE | DELETE)
                .containsEntry("sasl:coord", READ | CREATE | WRITE | DELETE)
                .doesNotContainKey("digest:w2");
        assertThat(acl(paths.assignment("w1", "t1")))
                .containsEntry("sasl:coord", READ | WRITE)
                .doesNotContainKey("digest:w1");
        assertThat(acl(paths.assignments()))
                .containsEntry("digest:worker", READ | CREATE)
                .containsEntry("sasl:coord", READ | DELETE);
        assertThat(acl(paths.served("w2")))
                .as("both of a worker's ids while its password is rotated")
                .containsEntry("digest:w2", WRITE | CREATE | DELETE)
                .containsEntry("digest:w2-new", WRITE | CREATE | DELETE);
        assertThat(acl(paths.loadCommand("w1", "i1")))
                .containsEntry("sasl:coord", READ | WRITE)
                .containsEntry("digest:w1", WRITE);
    }

    @Test
    void aWorkerThePolicyDoesNotName_cannotHaveFolders_butItsCommandsStillGetAnAcl() {
        assertThatThrownBy(() -> table.aclFor(paths.assignments("stranger")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("worker stranger has no identity of its own");
        assertThat(acl(paths.loadCommand("stranger", "i1")))
                .containsEntry("sasl:coord", READ | WRITE);
        assertThat(table.knowsWorker("w1")).isTrue();
    }

    @Test
    void itemsAndTypes_areClientsAndCoordinators_breakersCoordinatorsAlone() {
        assertThat(acl(paths.item("i1")))
                .containsEntry("x509:CN=client", READ | WRITE)
                .containsEntry("digest:worker", READ);
        assertThat(acl(paths.items()))
                .as("a put rewrites the folder too, fencing the item cap")
                .containsEntry("x509:CN=client", READ | CREATE | DELETE | WRITE)
                .containsEntry("digest:worker", READ);
        assertThat(acl(paths.breaker("t"))).containsEntry("x509:CN=client", READ);
    }

    @Test
    void aPolicyWithAPasswordWhereTheHashBelongs_orWithoutAnAdmin_isRefused() {
        assertThatThrownBy(
                        () ->
                                AclPolicy.decode(
                                        "{\"admin\":[\"digest:admin:hunter2\"],\"coordinator\":[\"sasl:c\"],\"worker\":[\"sasl:w\"]}"
                                                .getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("admin[0] must be digest:user:hash");
        assertThatThrownBy(
                        () ->
                                AclPolicy.decode(
                                        "{\"coordinator\":[\"sasl:c\"],\"worker\":[\"sasl:w\"]}"
                                                .getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("admin lists no identity");
    }
}
