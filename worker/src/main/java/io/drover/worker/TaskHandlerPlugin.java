package io.drover.worker;

import java.util.Map;

/**
 * A bundle of task handlers (and optionally an item handler) that a standalone worker server loads
 * from a jar in its plugins folder ({@code worker.pluginsDir}), through {@link
 * java.util.ServiceLoader}: list the implementation's class name in the jar's {@code
 * META-INF/services/io.drover.worker.TaskHandlerPlugin}. A plugin depends only on {@code
 * drover-worker}; each jar gets a class loader of its own and sees no other plugin jar's classes,
 * so a jar holds any other library its plugin needs.
 *
 * <pre>{@code
 * public final class ImagePlugin implements TaskHandlerPlugin {
 *     public Map<String, TaskHandler> handlers() {
 *         return Map.of("resize-image", ctx -> resize(ctx.payloadAs(ResizeRequest.class)));
 *     }
 * }
 * }</pre>
 *
 * <p>The worker calls {@link #handlers()} once, at start, on the starting thread. A type claimed by
 * two plugins (or by a plugin and a built-in handler) stops the worker from starting.
 */
public interface TaskHandlerPlugin {
    /**
     * Handler types (names as for {@link WorkerBuilder#handler}) and their handlers; may be empty
     * for an items-only plugin.
     */
    Map<String, TaskHandler> handlers();

    /**
     * The worker's {@link ItemHandler}, if this plugin serves load/drop items; null (the default)
     * if not. At most one plugin of a worker may provide one, and not together with the server's
     * demo item handler ({@code worker.demoItems}).
     */
    default ItemHandler itemHandler() {
        return null;
    }
}
