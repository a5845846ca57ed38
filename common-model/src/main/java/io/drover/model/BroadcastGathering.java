package io.drover.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A broadcast fanned out and gathering its responses, at {@code broadcasts/<taskId>}: written by
 * the leader in the multi that moves the broadcast to WAITING, deleted in the multi that ends it.
 * It fixes the set of workers (those live, ACTIVE and capable at the fan-out) and the deadline, so
 * that a new leader finishes the gathering as the old one would have.
 *
 * @param taskId the broadcast (the parent task)
 * @param series the parent's series of attempts at the fan-out (a re-run fans out again, with
 *     response ids of its own)
 * @param success the policy the parent ends by
 * @param fannedOutAtMs when the leader fixed the set
 * @param deadlineMs when responses not yet ended stop counting (they are cancelled)
 * @param responses one per worker, sorted by worker id
 */
public record BroadcastGathering(
        @JsonProperty("v") int formatVersion,
        String taskId,
        int series,
        Broadcast.Success success,
        long fannedOutAtMs,
        long deadlineMs,
        List<Member> responses) {

    public static final int FORMAT_VERSION = 1;

    /**
     * Most workers one broadcast reaches: keeps this node, and the parent's result, well under
     * ZooKeeper's packet limit (docs/broadcast.md).
     */
    public static final int MAX_WORKERS = 1_000;

    /** One worker of the set and the id of its response task. */
    public record Member(String workerId, String taskId) {}

    public BroadcastGathering {
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
        responses = responses == null ? List.of() : List.copyOf(responses);
    }

    /**
     * The id of the response task of {@code workerId} to series {@code series} of broadcast {@code
     * parentId}: readable (the two ids, clipped), and unique by a hash of all three, so a re-run's
     * responses never meet the first run's. At most 114 characters.
     */
    public static String responseId(String parentId, int series, String workerId) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(
                                    (parentId + "\n" + series + "\n" + workerId)
                                            .getBytes(StandardCharsets.UTF_8));
            return clip(parentId, 60)
                    + "."
                    + clip(workerId, 40)
                    + "."
                    + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String clip(String id, int max) {
        return id.length() <= max ? id : id.substring(0, max);
    }

    /** The member whose response this task is, or null. */
    public Member memberOf(String responseTaskId) {
        for (Member m : responses) {
            if (m.taskId().equals(responseTaskId)) {
                return m;
            }
        }
        return null;
    }

    /** Checks every field; throws {@link DroverException} naming the first bad one. */
    public BroadcastGathering validate() {
        Names.checkId("taskId", taskId);
        require(series >= 1, "series must be at least 1, was " + series);
        require(success != null, "success is required (ALL, QUORUM or ANY)");
        require(
                fannedOutAtMs > 0 && deadlineMs >= fannedOutAtMs,
                "fannedOutAtMs must be positive and deadlineMs not before it");
        require(
                responses.size() <= MAX_WORKERS,
                "at most " + MAX_WORKERS + " responses, was " + responses.size());
        Set<String> workers = new HashSet<>();
        Set<String> tasks = new HashSet<>();
        for (Member m : responses) {
            require(m != null, "responses must not hold null");
            Names.checkId("responses.workerId", m.workerId());
            Names.checkId("responses.taskId", m.taskId());
            require(workers.add(m.workerId()), "worker " + m.workerId() + " is listed twice");
            require(tasks.add(m.taskId()), "response " + m.taskId() + " is listed twice");
        }
        return this;
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new DroverException(problem, false);
        }
    }
}
