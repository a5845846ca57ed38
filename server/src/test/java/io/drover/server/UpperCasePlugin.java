package io.drover.server;

import io.drover.worker.TaskHandler;
import io.drover.worker.TaskHandlerPlugin;
import java.util.Locale;
import java.util.Map;

/** A plugin for {@link WorkerServerTest}: its service entry exists only inside the jar the test builds. */
public final class UpperCasePlugin implements TaskHandlerPlugin {
    @Override
    public Map<String, TaskHandler> handlers() {
        return Map.of("upper", ctx -> ctx.payload().asText().toUpperCase(Locale.ROOT));
    }
}
