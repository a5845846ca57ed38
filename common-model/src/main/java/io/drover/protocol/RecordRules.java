package io.drover.protocol;

import io.drover.model.Assignment;
import io.drover.model.BreakerState;
import io.drover.model.Claim;
import io.drover.model.DroverException;
import io.drover.model.LoadCommand;
import io.drover.model.Names;
import io.drover.model.PendingEntry;
import io.drover.model.PendingKey;
import io.drover.model.Progress;
import io.drover.model.ServedItem;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.WorkerInfo;

/**
 * The rules of each wire record, apart from where it sits ({@link Znodes} checks that). Each method
 * throws a {@link DroverException} whose message names the first field that breaks a rule.
 */
final class RecordRules {
    /** Most handler types a worker may announce. */
    static final int MAX_TASK_TYPES = 1_000;

    private RecordRules() {}

    static void spec(TaskSpec s) {
        s.validate();
    }

    static void status(TaskStatus s) {
        id("taskId", s.taskId());
        typeName(s.type());
        require(s.state() != null, "state is required");
        require(
                s.maxAttempts() >= 1 && s.maxAttempts() <= TaskSpec.MAX_ATTEMPTS,
                "maxAttempts must be between 1 and "
                        + TaskSpec.MAX_ATTEMPTS
                        + ", was "
                        + s.maxAttempts());
        require(
                s.attempt() >= 1 && s.attempt() <= s.maxAttempts(),
                "attempt must be between 1 and maxAttempts, was " + s.attempt());
        if (s.state() == TaskState.ASSIGNED || s.state() == TaskState.RUNNING) {
            id("workerId (required while " + s.state() + ")", s.workerId());
        } else if (s.workerId() != null) {
            id("workerId", s.workerId());
        }
        require(
                s.epoch() >= 0 && s.fencingToken() >= 0,
                "epoch and fencingToken must not be negative");
        require(
                s.submitSeq() >= 0 && s.submitSeq() <= PendingKey.MAX_SEQ,
                "submitSeq must be between 0 and " + PendingKey.MAX_SEQ);
        require(
                s.submittedAtMs() >= 0
                        && s.assignedAtMs() >= 0
                        && s.startedAtMs() >= 0
                        && s.finishedAtMs() >= 0
                        && s.notBeforeMs() >= 0,
                "times must not be negative");
        Progress p = s.progress();
        if (p != null) {
            require(
                    p.percent() >= 0 && p.percent() <= 100,
                    "progress.percent must be between 0 and 100, was " + p.percent());
        }
    }

    static void pending(PendingEntry e) {
        require(e.status() != null, "status is required");
        status(e.status());
        require(
                e.status().state() == TaskState.PENDING,
                "status.state must be PENDING, was " + e.status().state());
        require(
                e.statusVersion() >= 0,
                "statusVersion must not be negative, was " + e.statusVersion());
        require(
                e.priority() >= TaskSpec.MIN_PRIORITY && e.priority() <= TaskSpec.MAX_PRIORITY,
                "priority out of range: " + e.priority());
        Names.checkLabels("requiredLabels", e.requiredLabels());
        if (e.targetWorker() != null) {
            id("targetWorker", e.targetWorker());
            require(!e.broadcast(), "a broadcast has no targetWorker");
        }
        inlineSpec(e.spec(), e.taskId());
    }

    static void assignment(Assignment a) {
        require(a.status() != null, "status is required");
        status(a.status());
        require(
                a.status().state() == TaskState.ASSIGNED,
                "status.state must be ASSIGNED, was " + a.status().state());
        require(
                a.statusVersion() >= 1,
                "statusVersion must be at least 1, was " + a.statusVersion());
        inlineSpec(a.spec(), a.taskId());
    }

    private static void inlineSpec(TaskSpec spec, String taskId) {
        if (spec != null) {
            spec.validate();
            require(
                    spec.id().equals(taskId),
                    "the inline spec is of task " + Znodes.quoted(spec.id()) + ", not " + taskId);
        }
    }

    static void worker(WorkerInfo w) {
        require(
                w.formatVersion() >= 1 && w.formatVersion() <= WorkerInfo.FORMAT_VERSION,
                "format version "
                        + w.formatVersion()
                        + " is unknown to this coordinator (it reads up to "
                        + WorkerInfo.FORMAT_VERSION
                        + ")");
        id("id", w.id());
        require(
                w.capacity() >= 1 && w.capacity() <= WorkerInfo.MAX_CAPACITY,
                "capacity must be between 1 and "
                        + WorkerInfo.MAX_CAPACITY
                        + ", was "
                        + w.capacity());
        require(
                w.taskTypes().size() <= MAX_TASK_TYPES,
                "at most " + MAX_TASK_TYPES + " task types, was " + w.taskTypes().size());
        w.taskTypes().forEach(RecordRules::typeName);
        Names.checkLabels("labels", w.labels());
        require(w.startedAtMs() >= 0, "startedAtMs must not be negative");
    }

    static void claim(Claim c) {
        id("workerId", c.workerId());
        require(c.attempt() >= 1, "attempt must be at least 1, was " + c.attempt());
    }

    static void breaker(BreakerState b) {
        require(b.openUntilMs() >= 0, "openUntilMs must not be negative");
        require(
                b.failureRate() >= 0 && b.failureRate() <= 1,
                "failureRate must be between 0 and 1, was " + b.failureRate());
    }

    static void loadCommand(LoadCommand c) {
        require(c.action() != null, "action is required (LOAD or DROP)");
        require(c.item() != null, "item is required");
        c.item().validate();
        require(c.epoch() >= 0 && c.attempts() >= 0, "epoch and attempts must not be negative");
    }

    static void served(ServedItem s) {
        id("workerId", s.workerId());
        id("itemId", s.itemId());
    }

    static void id(String field, String value) {
        Names.checkId(field, value);
    }

    static void typeName(String value) {
        Names.checkName("type", value);
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new DroverException(problem, false);
        }
    }
}
