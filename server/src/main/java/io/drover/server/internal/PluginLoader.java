package io.drover.server.internal;

import io.drover.worker.ItemHandler;
import io.drover.worker.TaskHandler;
import io.drover.worker.TaskHandlerPlugin;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@link TaskHandlerPlugin}s (task handlers and an item handler) from the jars of a folder
 * with {@link ServiceLoader}.
 */
public final class PluginLoader {
    private static final Logger LOG = LoggerFactory.getLogger(PluginLoader.class);

    private PluginLoader() {}

    /**
     * Handlers of every plugin in the folder's jars (none if the folder does not exist), each added
     * to {@code into}. A type already in {@code into} is a clear start-up error naming both
     * sources, and so is an item handler offered by two plugins.
     *
     * @param sources where each type of {@code into} came from, for that error; updated
     * @return the item handler a plugin offers, or null
     */
    public static ItemHandler load(
            File dir, Map<String, TaskHandler> into, Map<String, String> sources) {
        File[] jars = dir.listFiles((d, name) -> name.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            LOG.info("no plugin jars in {}", dir.getAbsolutePath());
            return null;
        }
        Arrays.sort(jars);
        List<URL> urls = new ArrayList<>();
        for (File jar : jars) {
            try {
                urls.add(jar.toURI().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(
                        "cannot read plugin jar " + jar + ": " + e.getMessage(), e);
            }
        }
        // Not closed: the handlers' classes are loaded from it for as long as the worker runs.
        URLClassLoader loader =
                new URLClassLoader(
                        "drover-plugins",
                        urls.toArray(URL[]::new),
                        TaskHandlerPlugin.class.getClassLoader());
        ItemHandler items = null;
        String itemsSource = null;
        try {
            for (TaskHandlerPlugin plugin : ServiceLoader.load(TaskHandlerPlugin.class, loader)) {
                String source = "plugin " + plugin.getClass().getName();
                ItemHandler offered = plugin.itemHandler();
                if (offered != null && items != null) {
                    throw new IllegalArgumentException(
                            "an item handler is provided by both "
                                    + itemsSource
                                    + " and "
                                    + source
                                    + "; a worker has one");
                }
                if (offered != null) {
                    items = offered;
                    itemsSource = source;
                    LOG.info("loaded the item handler of {}", source);
                }
                Map<String, TaskHandler> handlers = new LinkedHashMap<>(plugin.handlers());
                handlers.forEach(
                        (type, handler) -> {
                            String before = sources.putIfAbsent(type, source);
                            if (before != null) {
                                throw new IllegalArgumentException(
                                        "task type '"
                                                + type
                                                + "' is provided by both "
                                                + before
                                                + " and "
                                                + source);
                            }
                            into.put(type, handler);
                        });
                LOG.info("loaded {} with handlers {}", source, handlers.keySet());
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalArgumentException(
                    "a plugin in " + dir + " cannot be loaded: " + e.getMessage(), e);
        }
        return items;
    }
}
