package io.drover.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import io.drover.coordinator.AssignmentStrategy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator server's config file ({@code config/coordinator.yml}). Every field has a default;
 * Dropwizard validates the file at start and names each bad field.
 */
public final class CoordinatorServerConfig extends DroverServerConfig {
    @Valid @NotNull @JsonProperty public Scheduler coordinator = new Scheduler();

    @Valid @NotNull @JsonProperty public Api api = new Api();

    @Valid @NotNull @JsonProperty public Events events = new Events();

    /** The {@code events:} section: the event stream {@code GET /v1/events}. */
    public static final class Events {
        /** Events kept for clients that resume ({@code Last-Event-ID}), at most. */
        @Min(1_000)
        @Max(10_000_000)
        @JsonProperty
        public int bufferEvents = 100_000;

        /** Events kept this long, at most (fewer when {@code bufferEvents} fill first). */
        @MinDuration(value = 1, unit = TimeUnit.SECONDS)
        @JsonProperty
        public Duration bufferAge = Duration.minutes(10);

        /** A subscriber this many events behind the newest is cut off. */
        @Min(100)
        @Max(10_000_000)
        @JsonProperty
        public int maxLagEvents = 20_000;

        /** Streams one coordinator serves at once; more get a 503. */
        @Min(1)
        @Max(100_000)
        @JsonProperty
        public int maxSubscribers = 1_000;

        /** A comment line this often keeps idle streams (and proxies) alive. */
        @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
        @JsonProperty
        public Duration heartbeat = Duration.seconds(15);
    }

    /** The {@code coordinator:} section: the leader's scheduling settings. */
    public static final class Scheduler {
        /** Unique among coordinators; empty picks {@code coordinator-<random>}. */
        @Pattern(
                regexp = "|[A-Za-z0-9][A-Za-z0-9._:-]{0,127}",
                message = "must be empty or 1-128 letters, digits, '.', '_', ':' or '-'")
        @JsonProperty
        public String id = "";

        @NotNull @JsonProperty
        public AssignmentStrategy strategy = AssignmentStrategy.EQUAL_DISTRIBUTION;

        @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
        @JsonProperty
        public Duration reconcileInterval = Duration.seconds(10);

        @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
        @JsonProperty
        public Duration assignmentTimeout = Duration.seconds(30);

        @JsonProperty public Duration retention = Duration.hours(24);

        @Min(0)
        @Max(500_000)
        @JsonProperty
        public int maxRetainedTasks = 100_000;

        @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
        @JsonProperty
        public Duration gcInterval = Duration.minutes(1);

        /**
         * The leader deletes the folders of a worker gone this long (keep it well above clock skew
         * between ZooKeeper and coordinators).
         */
        @JsonProperty public Duration departedWorkerGrace = Duration.minutes(10);

        /**
         * A graph still being staged this long after the leader first saw it is abandoned and its
         * tasks taken back (its submitter died; docs/workflows.md).
         */
        @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
        @JsonProperty
        public Duration graphStagingTimeout = Duration.minutes(10);

        /** Item LOAD commands in flight per worker at once (the load throttle). */
        @Min(1)
        @Max(1_000)
        @JsonProperty
        public int maxLoadsPerWorker = 20;

        /**
         * Balancing moves in flight at once (0: no balancing); each loads the new replica before it
         * drops the old.
         */
        @Min(0)
        @Max(10_000)
        @JsonProperty
        public int maxItemMovesAtOnce = 16;

        /**
         * A worker that gave up loading an item gets no load of it for this long (three in a row:
         * no load at all).
         */
        @JsonProperty public Duration loadFailureCooldown = Duration.minutes(5);
    }

    /** The {@code api:} section: HTTP API limits and the address announced for discovery. */
    public static final class Api {
        /**
         * The URL clients should use for this coordinator (announced in {@code coordinators/<id>});
         * may be empty.
         */
        @JsonProperty public String publicUrl = "";

        /** A task's stored spec (payload included) may not exceed this; larger ones get a 413. */
        @MinDataSize(value = 1, unit = io.dropwizard.util.DataSizeUnit.KIBIBYTES)
        @MaxDataSize(value = 512, unit = io.dropwizard.util.DataSizeUnit.KIBIBYTES)
        @JsonProperty
        public DataSize maxTaskSize = DataSize.kibibytes(256);

        /** A request body may not exceed this (checked before parsing); larger ones get a 413. */
        @MinDataSize(value = 1, unit = io.dropwizard.util.DataSizeUnit.KIBIBYTES)
        @MaxDataSize(value = 256, unit = io.dropwizard.util.DataSizeUnit.MEBIBYTES)
        @JsonProperty
        public DataSize maxRequestSize = DataSize.mebibytes(8);

        /** Tasks per {@code POST /v1/tasks/batch} at most. */
        @Min(1)
        @Max(10_000)
        @JsonProperty
        public int maxBatchSize = 1_000;

        /**
         * Submissions beyond this many live (not yet ended) tasks in the cluster get a 429 {@code
         * quota_exceeded}, and nothing is written; see {@code docs/security.md}.
         */
        @Min(1)
        @Max(100_000_000)
        @JsonProperty
        public long maxLiveTasks = io.drover.store.StoreOptions.DEFAULT_MAX_LIVE_TASKS;

        /**
         * Submissions beyond this many bytes of live tasks' specs get a 429 (counted by the leader;
         * see {@code docs/security.md}).
         */
        @NotNull @JsonProperty
        public DataSize maxLiveSpecBytes =
                DataSize.bytes(io.drover.store.StoreOptions.DEFAULT_MAX_LIVE_SPEC_BYTES);

        /**
         * The longest a request waits for its task to end ({@code ?wait=} on {@code POST /v1/tasks}
         * and {@code GET /v1/tasks/{id}}); a longer wait asked for is cut to this.
         */
        @MinDuration(value = 0, unit = TimeUnit.SECONDS)
        @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
        @JsonProperty
        public Duration maxWait = Duration.seconds(60);

        /**
         * Requests waiting for their tasks at once, at most; beyond it a request is answered at
         * once, as if its wait had run out (it costs a map entry each, no thread, no watch).
         */
        @Min(0)
        @Max(1_000_000)
        @JsonProperty
        public int maxWaiters = 10_000;
    }
}
