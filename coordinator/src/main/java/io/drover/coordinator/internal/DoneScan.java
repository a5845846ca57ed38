package io.drover.coordinator.internal;

import io.drover.model.PendingKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One reading of the retention index ({@code done/<b>/<ms>-<id>}): every task id it names, for the
 * {@link EndedTally}, and the entries that retention should delete, oldest first. Pure: built from
 * the names a listing returned, on the listing's thread, so that parsing and sorting a large index
 * never runs on the leader's.
 *
 * @param indexed every task id the index names
 * @param doomed the entries due, oldest first (the guard of what must be kept is the leader's)
 */
record DoneScan(Set<String> indexed, List<Entry> doomed) {
    /** An index entry: when its task finished, and where the entry is (its bucket and name). */
    record Entry(long finishedAtMs, String bucket, String name) {
        String taskId() {
            return PendingKey.taskIdOfDone(name);
        }

        String path() {
            return bucket + "/" + name;
        }
    }

    /**
     * @param namesByBucket each bucket's path and the names listed in it
     * @param cutoffMs entries that finished before this are due
     * @param maxRetained beyond this many entries, the oldest are due too
     * @param delete false for a listing that only tallies: nothing is doomed
     */
    static DoneScan of(
            Map<String, List<String>> namesByBucket,
            long cutoffMs,
            int maxRetained,
            boolean delete) {
        List<Entry> all = new ArrayList<>();
        Set<String> indexed = new HashSet<>();
        namesByBucket.forEach(
                (bucket, names) -> {
                    for (String name : names) {
                        long at = PendingKey.timeOfDone(name);
                        String taskId = PendingKey.taskIdOfDone(name);
                        if (at >= 0 && taskId != null) {
                            all.add(new Entry(at, bucket, name));
                            indexed.add(taskId);
                        }
                    }
                });
        if (!delete) {
            return new DoneScan(indexed, List.of()); // a tally needs no order
        }
        all.sort(Comparator.comparingLong(Entry::finishedAtMs));
        int overCount = Math.max(0, all.size() - maxRetained);
        int due = 0;
        while (due < all.size() && (due < overCount || all.get(due).finishedAtMs() < cutoffMs)) {
            due++;
        }
        return new DoneScan(indexed, new ArrayList<>(all.subList(0, due)));
    }
}
