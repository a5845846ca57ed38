package io.drover.store;

import io.drover.model.DroverJson;
import io.drover.model.InvalidTaskException;
import io.drover.model.PayloadTooLargeException;
import io.drover.model.PendingKey;
import io.drover.model.TaskSpec;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A spec ready to be written: validated, stamped with its submit time and this process's sequence
 * number, encoded, and within the limits of the store. Every way a task is written (a submission, a
 * graph's staging) prepares it here. Thread-safe.
 */
record PreparedSpec(TaskSpec spec, byte[] bytes) {
    private static final AtomicLong SUBMIT_SEQ = new AtomicLong();

    /**
     * Throws {@link InvalidTaskException} or {@link PayloadTooLargeException} naming what is wrong.
     */
    static PreparedSpec of(TaskSpec spec, StoreOptions options) {
        TaskSpec stamped = stamp(spec.validate());
        if (stamped.notBeforeMs() - stamped.submittedAtMs() > TaskSpec.MAX_SCHEDULE_AHEAD_MS) {
            throw new InvalidTaskException(
                    "notBeforeMs",
                    "must be at most 366 days after submission, was "
                            + (stamped.notBeforeMs() - stamped.submittedAtMs()) / 86_400_000
                            + " days after");
        }
        byte[] bytes = DroverJson.encode(stamped);
        if (bytes.length > options.maxTaskBytes()) {
            throw new PayloadTooLargeException(bytes.length, options.maxTaskBytes());
        }
        return new PreparedSpec(stamped, bytes);
    }

    /**
     * The submit time (now, unless the caller set one) and this process's next sequence number, so
     * that tasks one submitter sends within one millisecond (a batch) dispatch in the order sent.
     */
    private static TaskSpec stamp(TaskSpec spec) {
        long at = spec.submittedAtMs() > 0 ? spec.submittedAtMs() : System.currentTimeMillis();
        long seq =
                spec.submitSeq() > 0
                        ? spec.submitSeq()
                        : SUBMIT_SEQ.getAndIncrement() % PendingKey.MAX_SEQ + 1;
        return at == spec.submittedAtMs() && seq == spec.submitSeq()
                ? spec
                : spec.withSubmitStamp(at, seq);
    }
}
