package io.drover.server.internal;

import io.drover.model.BreakerState;
import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.LiveCounts;
import io.drover.model.Names;
import io.drover.model.TypePolicy;
import io.drover.protocol.Znodes;
import io.drover.server.api.TypeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Task types for the API: policies at {@code types/<type>} (read and written here, versioned
 * compare-and-sets when the caller names a version), breaker states at {@code breakers/<type>} and
 * pending and in-flight counts from the leader's {@code leader/live} (read only). No task is read:
 * a listing costs two child listings, one read per policy and breaker, and one read of the counts.
 * The leader watches {@code types/}, so a policy written here is enforced without a restart.
 *
 * <p>Blocking; call from request threads, never from ZooKeeper's event thread. Thread-safe.
 */
public final class TypeCatalog {
    private final CuratorFramework client;
    private final DroverPaths paths;

    public TypeCatalog(CuratorFramework client, DroverPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /** The outcome of {@link #put}: the type as it is now, and whether the policy is new. */
    public record PutResult(TypeView type, boolean created) {}

    /**
     * A PUT or DELETE whose {@code If-Match} named another version than the stored one, or a PUT
     * with {@code If-None-Match: *} for a type that has a policy.
     */
    public static final class VersionMismatchException extends io.drover.model.DroverException {
        private static final long serialVersionUID = 1L;
        private final String header;

        VersionMismatchException(String type, String why) {
            this("If-Match", type, why);
        }

        VersionMismatchException(String header, String type, String why) {
            super(
                    "the policy of type "
                            + type
                            + " "
                            + why
                            + "; GET /v1/types/"
                            + type
                            + " and try again",
                    false);
            this.header = header;
        }

        /** The request header that did not hold. */
        public String header() {
            return header;
        }

        static VersionMismatchException of(String type, String expected, Integer actual) {
            return new VersionMismatchException(
                    type,
                    actual == null
                            ? "does not exist"
                            : "is at version " + actual + ", not " + expected);
        }
    }

    /** Every type with a policy, a breaker state or tasks not yet ended, sorted by type. */
    public List<TypeView> list() throws Exception {
        List<String> policies = client.getChildren().forPath(paths.types());
        List<String> breakers = client.getChildren().forPath(paths.breakers());
        LiveCounts counts = counts();
        TreeSet<String> names = new TreeSet<>(policies);
        names.addAll(breakers);
        if (counts != null) {
            names.addAll(counts.tasksByType().keySet());
        }
        List<TypeView> out = new ArrayList<>(names.size());
        for (String type : names) {
            view(type, policies.contains(type), breakers.contains(type), counts)
                    .ifPresent(out::add);
        }
        return out;
    }

    /** One type; empty when it has no policy, no breaker state and no task not yet ended. */
    public Optional<TypeView> get(String type) throws Exception {
        Names.checkName("type", type);
        return view(type, true, true, counts());
    }

    /**
     * Sets the type's policy.
     *
     * @param ifMatch the policy version the caller read ({@code "*"}: any, as long as there is
     *     one); null to create or replace whatever is there
     * @param createOnly only create: fail if the type has a policy ({@code If-None-Match: *})
     * @throws VersionMismatchException when {@code ifMatch} or {@code createOnly} does not hold
     */
    public PutResult put(String type, TypePolicy policy, String ifMatch, boolean createOnly)
            throws Exception {
        Names.checkName("type", type);
        byte[] data = DroverJson.encode(policy.validateFor(type));
        String path = paths.type(type);
        boolean created = false;
        if (ifMatch == null) {
            try {
                client.create().forPath(path, data);
                created = true;
            } catch (KeeperException.NodeExistsException exists) {
                if (createOnly) {
                    throw new VersionMismatchException(
                            "If-None-Match",
                            type,
                            "exists already (version " + policyVersion(type) + ")");
                }
                client.setData().forPath(path, data);
            }
        } else {
            try {
                client.setData().withVersion(version(type, ifMatch)).forPath(path, data);
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
                throw VersionMismatchException.of(type, ifMatch, policyVersion(type));
            }
        }
        return new PutResult(get(type).orElseThrow(), created);
    }

    /**
     * Removes the type's policy; false when it has none. Its breaker state stays visible until a
     * leader writes another one: without a breaker policy the leader ignores it.
     *
     * @param ifMatch as in {@link #put}
     */
    public boolean delete(String type, String ifMatch) throws Exception {
        Names.checkName("type", type);
        try {
            client.delete()
                    .withVersion(ifMatch == null ? -1 : version(type, ifMatch))
                    .forPath(paths.type(type));
            return true;
        } catch (KeeperException.NoNodeException none) {
            if (ifMatch != null) {
                throw VersionMismatchException.of(type, ifMatch, null);
            }
            return false;
        } catch (KeeperException.BadVersionException e) {
            throw VersionMismatchException.of(type, ifMatch, policyVersion(type));
        }
    }

    /** An {@code If-Match} value as a znode version: {@code "3"}, {@code 3}, {@code W/"3"}, *. */
    private static int version(String type, String ifMatch) {
        String v = ifMatch.strip();
        if (v.equals("*")) {
            return -1;
        }
        v = v.startsWith("W/") ? v.substring(2) : v;
        v =
                v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
                        ? v.substring(1, v.length() - 1)
                        : v;
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new io.drover.model.InvalidTaskException(
                "If-Match",
                "must be the policyVersion (ETag) of type " + type + ", such as \"3\", or *");
    }

    private Integer policyVersion(String type) throws Exception {
        Stat stat = client.checkExists().forPath(paths.type(type));
        return stat == null ? null : stat.getVersion();
    }

    private Optional<TypeView> view(
            String type, boolean mayHavePolicy, boolean mayHaveBreaker, LiveCounts counts)
            throws Exception {
        TypeView.Policy policy = null;
        Integer version = null;
        TypeView.Breaker breaker = null;
        List<String> errors = new ArrayList<>();
        if (mayHavePolicy) {
            Stat stat = new Stat();
            byte[] data = read(paths.type(type), stat);
            if (data != null) {
                version = stat.getVersion();
                try {
                    policy = TypeView.Policy.of(Znodes.typePolicy(paths.type(type), data));
                } catch (CorruptZnodeException e) {
                    errors.add(e.getMessage());
                }
            }
        }
        if (mayHaveBreaker) {
            byte[] data = read(paths.breaker(type), null);
            if (data != null) {
                try {
                    BreakerState b = Znodes.breaker(paths.breaker(type), data);
                    breaker = TypeView.Breaker.of(b);
                } catch (CorruptZnodeException e) {
                    errors.add(e.getMessage());
                }
            }
        }
        LiveCounts.TypeTasks tasks =
                counts == null ? null : counts.tasksByType().getOrDefault(type, null);
        if (version == null && breaker == null && tasks == null && errors.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new TypeView(
                        type,
                        policy,
                        version,
                        breaker,
                        counts == null ? null : tasks == null ? 0L : tasks.pending(),
                        counts == null ? null : tasks == null ? 0L : tasks.running(),
                        errors.isEmpty() ? null : String.join("; ", errors)));
    }

    /**
     * The counts the current term's leader published; null when there are none yet, when they are
     * an earlier term's, or when they do not validate.
     */
    private LiveCounts counts() throws Exception {
        byte[] data = read(paths.liveCounts(), null);
        Stat epoch = client.checkExists().forPath(paths.leaderEpoch());
        if (data == null || epoch == null) {
            return null;
        }
        try {
            LiveCounts counts = Znodes.liveCounts(paths.liveCounts(), data);
            return counts.epoch() == epoch.getVersion() ? counts : null;
        } catch (CorruptZnodeException e) {
            return null; // fsck reports it; the listing shows no counts rather than failing
        }
    }

    private byte[] read(String path, Stat stat) throws Exception {
        try {
            return stat == null
                    ? client.getData().forPath(path)
                    : client.getData().storingStatIn(stat).forPath(path);
        } catch (KeeperException.NoNodeException none) {
            return null;
        }
    }
}
