/**
 * The runtime every Drover component shares: group-committed ZooKeeper reads and writes ({@link
 * io.drover.protocol.runtime.BatchedReader}, {@link io.drover.protocol.runtime.MultiBatcher}),
 * watched folders ({@link io.drover.protocol.runtime.WatchedFolder}) and named threads. Public so
 * that the coordinator, the worker and the servers use one implementation; not an API for
 * applications.
 */
package io.drover.protocol.runtime;
