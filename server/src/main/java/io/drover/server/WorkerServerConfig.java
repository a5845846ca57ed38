package io.drover.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The worker server's config file ({@code config/worker.yml}). Every field has a default. */
public final class WorkerServerConfig extends DroverServerConfig {
    @Valid @NotNull @JsonProperty public Settings worker = new Settings();

    /** The {@code worker:} section. */
    public static final class Settings {
        /** Unique among workers; empty picks {@code <hostname>-<random>}. */
        @Pattern(
                regexp = "|[A-Za-z0-9][A-Za-z0-9._:-]{0,127}",
                message = "must be empty or 1-128 letters, digits, '.', '_', ':' or '-'")
        @JsonProperty
        public String id = "";

        @Min(1)
        @Max(10_000)
        @JsonProperty
        public int capacity = io.drover.worker.WorkerConfig.DEFAULT_CAPACITY;

        @NotNull @JsonProperty public Map<String, String> labels = new LinkedHashMap<>();

        /** Register the demo handlers (noop, sleep, echo, fail). */
        @JsonProperty public boolean demoHandlers = true;

        /**
         * Serve load/drop items with the demo item handler (in memory; spec {@code loadMs}, {@code
         * failOn}).
         */
        @JsonProperty public boolean demoItems = false;

        /** Item handler calls at once. */
        @Min(1)
        @Max(256)
        @JsonProperty
        public int itemConcurrency = 2;

        /** Bound on one item load or drop. */
        @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
        @JsonProperty
        public Duration itemTimeout = Duration.minutes(10);

        /**
         * Calls before a failing load is reported to the leader, which then tries another worker.
         */
        @Min(1)
        @Max(100)
        @JsonProperty
        public int itemMaxAttempts = 3;

        /**
         * The plugins folder, by absolute path: each jar here is searched for {@link
         * io.drover.worker.TaskHandlerPlugin}s in a class loader of its own. Empty (the default)
         * means no plugins; a relative path, or a folder or jar writable by group or others, stops
         * the worker at start (see PluginLoader).
         */
        @JsonProperty public String pluginsDir = "";

        /**
         * Plugin jar file name to its SHA-256 in lower-case hex. Empty (the default): no pins;
         * otherwise every jar of {@link #pluginsDir} must be pinned here and match, and every
         * pinned jar must be there, or the worker does not start.
         */
        @NotNull @JsonProperty
        public Map<
                        @Pattern(
                                regexp = "[^/\\\\]+\\.jar",
                                message = "must be a jar's file name (no folder)")
                        String,
                        @NotNull
                        @Pattern(
                                regexp = "[0-9a-f]{64}",
                                message = "must be a SHA-256 in lower-case hex (64 of 0-9, a-f)")
                        String>
                pluginSha256 = new LinkedHashMap<>();

        /**
         * Programs the {@code shell} handler may run, by absolute path. Empty (the default) means
         * there is no shell handler at all: no task can run a command unless this list names it.
         */
        @NotNull @JsonProperty public List<@NotBlank String> allowedCommands = new ArrayList<>();

        /**
         * Environment variables of the worker that shell programs get; they get nothing else but a
         * fixed {@code PATH}.
         */
        @NotNull @JsonProperty public List<@NotBlank String> commandEnvironment = new ArrayList<>();

        /** A shell program running longer than this is killed and its task fails for good. */
        @MinDuration(value = 1, unit = TimeUnit.SECONDS)
        @JsonProperty
        public Duration maxCommandRunTime = Duration.hours(1);

        /** Output of a {@code shell} task kept in its result at most. */
        @MaxDataSize(value = 128, unit = io.dropwizard.util.DataSizeUnit.KIBIBYTES)
        @JsonProperty
        public DataSize maxCommandOutput = DataSize.kibibytes(16);

        /**
         * If set, every attempt event is appended here as a JSON line (for fault tests; see
         * HistoryRecorder).
         */
        @JsonProperty public String historyFile = "";

        @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
        @JsonProperty
        public Duration shutdownTimeout = Duration.seconds(10);

        @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
        @JsonProperty
        public Duration cancelGrace = Duration.seconds(10);

        /**
         * A draining worker's running tasks may finish within this; the rest are handed back, then
         * it leaves.
         */
        @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
        @JsonProperty
        public Duration drainGrace = Duration.seconds(30);

        @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
        @JsonProperty
        public Duration progressInterval = Duration.seconds(1);
    }
}
