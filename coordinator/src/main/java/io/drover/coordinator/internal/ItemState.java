package io.drover.coordinator.internal;

import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The leader's view of items: desired state ({@code items/}), what workers announce ({@code
 * served/}) and the commands in their queues ({@code loadqueue/}), including those the leader is
 * still writing. Fed by watches in ZooKeeper order; set semantics make replays harmless. Not
 * thread-safe: the leader's thread only.
 */
final class ItemState {
    /** A command in a worker's queue, as the leader knows it. */
    record Command(LoadCommand.Action action, boolean failed) {}

    private final Map<String, ItemSpec> desired = new TreeMap<>();
    private final Map<String, Set<String>> servedBy = new HashMap<>();
    private final Map<String, Set<String>> servedOn = new HashMap<>();

    /** worker to item to command. */
    private final Map<String, Map<String, Command>> commands = new HashMap<>();

    /** item to worker to command: the same commands, the other way round. */
    private final Map<String, Map<String, Command>> commandsByItem = new HashMap<>();

    /**
     * worker/item to when the leader first knew the command, so that long-lived ones can be
     * re-checked.
     */
    private final Map<String, Long> commandSince = new HashMap<>();

    /**
     * Items whose znode cannot be read: neither desired nor undeclared, their replicas are left
     * alone.
     */
    private final Set<String> unreadable = new java.util.HashSet<>();

    void putItem(ItemSpec spec) {
        desired.put(spec.id(), spec);
        unreadable.remove(spec.id());
    }

    void unreadable(String id) {
        desired.remove(id);
        unreadable.add(id);
    }

    boolean isUnreadable(String id) {
        return unreadable.contains(id);
    }

    void removeItem(String id) {
        desired.remove(id);
        unreadable.remove(id);
    }

    Map<String, ItemSpec> desired() {
        return desired;
    }

    /** Served replicas of an earlier declaration of the item (worker/item to its createdAtMs). */
    private final Map<String, Long> generation = new HashMap<>();

    /** A replica of the declaration created at {@code createdAtMs} (0: unknown). */
    void served(String workerId, String itemId, long createdAtMs) {
        served(workerId, itemId, true);
        generation.put(workerId + "/" + itemId, createdAtMs);
    }

    /**
     * False if the worker holds a replica of an earlier declaration of the item (deleted and
     * declared again since).
     */
    boolean currentGeneration(String workerId, ItemSpec item) {
        long g = generation.getOrDefault(workerId + "/" + item.id(), 0L);
        return g == 0 || g == item.createdAtMs();
    }

    void served(String workerId, String itemId, boolean served) {
        if (!served) {
            generation.remove(workerId + "/" + itemId);
        }
        if (served) {
            servedBy.computeIfAbsent(itemId, k -> new java.util.TreeSet<>()).add(workerId);
            servedOn.computeIfAbsent(workerId, k -> new java.util.TreeSet<>()).add(itemId);
        } else {
            removeFromSet(servedBy, itemId, workerId);
            removeFromSet(servedOn, workerId, itemId);
        }
    }

    Set<String> servedBy(String itemId) {
        return servedBy.getOrDefault(itemId, Set.of());
    }

    Set<String> servedOn(String workerId) {
        return servedOn.getOrDefault(workerId, Set.of());
    }

    /** Items that some worker serves, declared or not (an undeclared one is dropped). */
    Set<String> servedItems() {
        return servedBy.keySet();
    }

    void command(String workerId, String itemId, Command command) {
        Command before =
                commands.computeIfAbsent(workerId, k -> new HashMap<>()).put(itemId, command);
        if (before == null || before.action() != command.action()) {
            commandSince.put(workerId + "/" + itemId, System.currentTimeMillis());
        }
        commandsByItem.computeIfAbsent(itemId, k -> new HashMap<>()).put(workerId, command);
    }

    void commandGone(String workerId, String itemId) {
        commandSince.remove(workerId + "/" + itemId);
        removeFrom(commands, workerId, itemId);
        removeFrom(commandsByItem, itemId, workerId);
    }

    Command command(String workerId, String itemId) {
        return commands.getOrDefault(workerId, Map.of()).get(itemId);
    }

    Map<String, Command> commandsOf(String workerId) {
        return commands.getOrDefault(workerId, Map.of());
    }

    Map<String, Command> commandsFor(String itemId) {
        return commandsByItem.getOrDefault(itemId, Map.of());
    }

    /** When the leader first counted this command (its action), or -1 if it counts none. */
    long commandSince(String workerId, String itemId) {
        return commandSince.getOrDefault(workerId + "/" + itemId, -1L);
    }

    /** Commands (worker/item) the leader has known since before {@code cutoffMs}. */
    List<String> commandsSince(long cutoffMs) {
        List<String> out = new ArrayList<>();
        commandSince.forEach(
                (key, since) -> {
                    if (since < cutoffMs) {
                        out.add(key);
                    }
                });
        return out;
    }

    /** Workers with a command queue, live or not. */
    Set<String> queuedWorkers() {
        return commands.keySet();
    }

    private static <V> void removeFrom(
            Map<String, ? extends Map<String, V>> map, String key, String inner) {
        Map<String, V> m = map.get(key);
        if (m != null) {
            m.remove(inner);
            if (m.isEmpty()) {
                map.remove(key);
            }
        }
    }

    private static void removeFromSet(Map<String, Set<String>> map, String key, String inner) {
        Set<String> s = map.get(key);
        if (s != null) {
            s.remove(inner);
            if (s.isEmpty()) {
                map.remove(key);
            }
        }
    }
}
