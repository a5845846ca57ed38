package io.drover.server.internal;

import io.drover.model.DroverJson;
import io.drover.protocol.runtime.NamedThreads;
import io.drover.worker.TaskEvent;
import io.drover.worker.WorkerListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every attempt event of a worker (started, committed, rejected, handed back, abandoned;
 * with task, attempt, fencing token and state) to a file, one JSON object per line, for fault tests
 * that check a run's history afterwards ({@code worker.historyFile}). Writes happen on a thread of
 * its own, so the worker's event thread never waits for the disk; each line is flushed, so a {@code
 * kill -9} loses at most the events not yet written.
 */
public final class HistoryRecorder implements WorkerListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryRecorder.class);

    private final String workerId;
    private final BufferedWriter out;
    private final ExecutorService writer =
            Executors.newSingleThreadExecutor(new NamedThreads("drover-history"));

    public HistoryRecorder(Path file, String workerId) throws IOException {
        this.workerId = workerId;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out =
                Files.newBufferedWriter(
                        file,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
    }

    @Override
    public void onEvent(TaskEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("atMs", System.currentTimeMillis());
        line.put("worker", workerId);
        line.put("kind", event.kind().name());
        line.put("taskId", event.taskId());
        line.put("attempt", event.attempt());
        line.put("token", event.fencingToken());
        if (event.state() != null) {
            line.put("state", event.state().name());
        }
        String json = DroverJson.toJson(line);
        writer.execute(
                () -> {
                    try {
                        out.write(json);
                        out.newLine();
                        out.flush();
                    } catch (IOException e) {
                        LOG.warn("cannot write the history: {}", e.toString());
                    }
                });
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("cannot close the history: {}", e.toString());
        }
    }
}
