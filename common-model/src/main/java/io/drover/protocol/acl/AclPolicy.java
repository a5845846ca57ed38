package io.drover.protocol.acl;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.DroverJson;
import io.drover.model.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.zookeeper.data.Id;

/**
 * Who is who in ZooKeeper: the ACL ids of each role and of each worker. Stored by {@code drover acl
 * apply} at {@code /drover/<cluster>/acl} (only the admin may write it; every Drover identity reads
 * it) and read by every process at start: its presence switches the cluster from open ACLs ({@code
 * world:anyone}) to the role table of {@link AclTable}.
 *
 * <pre>
 * {"v":1,
 *  "admin":["digest:admin:..."], "coordinator":["digest:coordinator:..."],
 *  "client":["digest:client:..."], "worker":["digest:worker:..."],
 *  "workers":{"worker-1":["x509:CN=worker-1,O=Example"], "worker-2":["digest:worker-2:..."]}}
 * </pre>
 *
 * An id is {@code scheme:id} as ZooKeeper writes it ({@code digest:user:base64-sha1}, {@code
 * sasl:principal}, {@code x509:subject}); the digest of a credentials file is what {@code drover
 * acl digest} prints. Fields a newer Drover adds are ignored here.
 *
 * @param worker the identity every worker holds besides its own: statuses, claims and pending
 *     entries are shared by all workers, and naming a role rather than every worker lets workers
 *     come and go without rewriting the ACL of every task
 * @param workers each worker id's own identity, the only one (besides coordinators and admins) that
 *     may write its folders
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AclPolicy(
        int v,
        List<String> admin,
        List<String> coordinator,
        List<String> client,
        List<String> worker,
        @com.fasterxml.jackson.annotation.JsonFormat(
                        with =
                                com.fasterxml.jackson.annotation.JsonFormat.Feature
                                        .ACCEPT_SINGLE_VALUE_AS_ARRAY)
                Map<String, List<String>> workers) {
    public static final int FORMAT = 1;
    private static final Set<String> SCHEMES = Set.of("digest", "sasl", "x509", "ip", "world");

    public AclPolicy {
        admin = admin == null ? List.of() : List.copyOf(admin);
        coordinator = coordinator == null ? List.of() : List.copyOf(coordinator);
        client = client == null ? List.of() : List.copyOf(client);
        worker = worker == null ? List.of() : List.copyOf(worker);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (workers != null) {
            workers.forEach((id, ids) -> copy.put(id, ids == null ? List.of() : List.copyOf(ids)));
        }
        workers = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Decodes and validates: every role has at least one id (the admin, coordinator and worker
     * roles; a cluster may have no direct clients), every id parses, every worker id is a valid id.
     *
     * @throws IllegalArgumentException naming the field
     */
    public static AclPolicy decode(byte[] json) {
        AclPolicy p;
        try {
            p = DroverJson.mapper().readValue(json, AclPolicy.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "the ACL policy is not readable JSON: " + e.getMessage());
        }
        if (p == null) {
            throw new IllegalArgumentException("the ACL policy is empty");
        }
        return p.validated();
    }

    public byte[] encode() {
        return DroverJson.encode(this);
    }

    /** This policy, checked. */
    public AclPolicy validated() {
        require("admin", admin, true);
        require("coordinator", coordinator, true);
        require("client", client, false);
        require("worker", worker, true);
        workers.forEach(
                (id, acls) -> {
                    try {
                        Names.checkId("workers key", id);
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("ACL policy: " + e.getMessage());
                    }
                    require("workers." + id, acls, true);
                });
        return this;
    }

    private static void require(String field, List<String> ids, boolean nonEmpty) {
        if (nonEmpty && ids.isEmpty()) {
            throw new IllegalArgumentException("ACL policy: " + field + " lists no identity");
        }
        for (int i = 0; i < ids.size(); i++) {
            parse(field + "[" + i + "]", ids.get(i));
        }
    }

    /** {@code scheme:id} as a ZooKeeper {@link Id}. */
    static Id parse(String field, String acl) {
        int colon = acl == null ? -1 : acl.indexOf(':');
        if (colon < 1 || colon == acl.length() - 1 || !SCHEMES.contains(acl.substring(0, colon))) {
            throw new IllegalArgumentException(
                    "ACL policy: "
                            + field
                            + " must be scheme:id with a scheme of "
                            + SCHEMES
                            + ", was '"
                            + acl
                            + "'");
        }
        String scheme = acl.substring(0, colon);
        String id = acl.substring(colon + 1);
        if (scheme.equals("digest") && !id.matches("[^:]+:[A-Za-z0-9+/]{27}=")) {
            throw new IllegalArgumentException(
                    "ACL policy: "
                            + field
                            + " must be digest:user:hash with the hash that drover acl digest"
                            + " prints (never the password)");
        }
        return new Id(scheme, id);
    }

    static List<Id> ids(String field, List<String> acls) {
        List<Id> out = new ArrayList<>();
        for (String a : acls) {
            out.add(parse(field, a));
        }
        return out;
    }
}
