package io.drover.server.internal.events;

/**
 * What the feed read of a znode after a notification.
 *
 * @param exists false when the node was gone by the time of the read
 * @param failed the read failed (connection loss): the state it would have shown is unknown
 */
record NodeRead(byte[] data, int version, boolean exists, boolean failed) {
    static final NodeRead ABSENT = new NodeRead(null, -1, false, false);
    static final NodeRead FAILED = new NodeRead(null, -1, false, true);
}
