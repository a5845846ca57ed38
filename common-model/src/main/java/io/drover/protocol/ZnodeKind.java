package io.drover.protocol;

/**
 * The kinds of znode Drover reads, as named in {@code docs/zk-layout.md}. A corrupt node is
 * reported and counted by kind ({@code drover fsck}, the {@code corrupt-znodes} metrics).
 */
public enum ZnodeKind {
    TASK_SPEC("task spec"),
    STATUS("status"),
    PENDING("pending entry"),
    WAITING("waiting entry"),
    GRAPH("graph"),
    ASSIGNMENT("assignment"),
    CLAIM("claim"),
    DONE("retention entry"),
    CANCEL("cancel request"),
    DRAIN("drain request"),
    WORKER("worker announcement"),
    COORDINATOR("coordinator announcement"),
    EPOCH("leader epoch"),
    TYPE_POLICY("type policy"),
    BREAKER("breaker state"),
    SCHEDULE("schedule"),
    BROADCAST("broadcast gathering"),
    LIVE_COUNTS("live counts"),
    ACL_POLICY("ACL policy"),
    ITEM("item"),
    LOAD_COMMAND("load/drop command"),
    SERVED("served item"),
    FOLDER("folder"),
    LAYOUT("layout marker"),
    UNKNOWN("unknown node");

    private final String label;

    ZnodeKind(String label) {
        this.label = label;
    }

    /** Lower-case words for messages ({@code "pending entry"}). */
    public String label() {
        return label;
    }

    /** The metric and JSON name ({@code pending_entry}). */
    public String metricName() {
        return label.replace('/', '_').replace(' ', '_');
    }
}
