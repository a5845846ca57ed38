package io.drover.server.internal;

import io.drover.worker.ItemHandler;
import io.drover.worker.TaskHandler;
import io.drover.worker.TaskHandlerPlugin;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@link TaskHandlerPlugin}s (task handlers and an item handler) from the jars of the plugins
 * folder with {@link ServiceLoader}, once {@link PluginFolder} has checked the folder, the jars'
 * permissions and their pins. Each jar gets a class loader of its own, named after the jar, whose
 * parent is the worker API's: a plugin sees the worker's classes and its own jar's, never another
 * plugin's, so two plugins can neither see nor shadow each other's classes.
 */
public final class PluginLoader {
    private static final Logger LOG = LoggerFactory.getLogger(PluginLoader.class);

    private PluginLoader() {}

    /**
     * Handlers of every plugin in the folder's jars (none if {@code dir} is null or blank), each
     * added to {@code into}. A type already in {@code into} is a clear start-up error naming both
     * sources, and so is an item handler offered by two plugins; so is a relative folder, a folder
     * or jar writable by group or others, a jar that does not match its pin, and a jar that cannot
     * be loaded or offers no plugin.
     *
     * @param dir {@code worker.pluginsDir}: an absolute folder, or blank for no plugins
     * @param pins {@code worker.pluginSha256}: jar file name to lower-case hex SHA-256; empty: none
     * @param sources where each type of {@code into} came from, for that error; updated
     * @return the item handler a plugin offers, or null
     * @throws IllegalArgumentException for any of those errors, naming the jar or the folder
     */
    public static ItemHandler load(
            String dir,
            Map<String, String> pins,
            Map<String, TaskHandler> into,
            Map<String, String> sources) {
        List<Path> jars = PluginFolder.verifiedJars(dir, pins);
        if (jars.isEmpty()) {
            LOG.info(
                    dir == null || dir.isBlank()
                            ? "no plugins: worker.pluginsDir is empty"
                            : "no plugin jars in " + dir);
            return null;
        }
        List<URLClassLoader> loaders = new ArrayList<>();
        ItemHandler items = null;
        String itemsSource = null;
        try {
            for (Path jar : jars) {
                // Not closed: the handlers' classes are loaded from it for as long as the worker
                // runs.
                URLClassLoader loader = classLoader(jar);
                loaders.add(loader);
                for (TaskHandlerPlugin plugin : plugins(jar, loader)) {
                    String source =
                            "plugin "
                                    + plugin.getClass().getName()
                                    + " ("
                                    + jar.getFileName()
                                    + ")";
                    ItemHandler offered;
                    Map<String, TaskHandler> handlers;
                    try {
                        offered = plugin.itemHandler();
                        handlers = new LinkedHashMap<>(plugin.handlers());
                    } catch (RuntimeException | LinkageError e) {
                        throw new IllegalArgumentException(source + " failed to start: " + e, e);
                    }
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
            }
        } catch (RuntimeException e) {
            closeQuietly(loaders, e); // the worker does not start: let go of the jars
            throw e;
        }
        return items;
    }

    private static URLClassLoader classLoader(Path jar) {
        URL url;
        try {
            url = jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(
                    "plugin jar " + jar + " cannot be loaded: " + e.getMessage(), e);
        }
        return new URLClassLoader(
                jar.getFileName().toString(),
                new URL[] {url},
                TaskHandlerPlugin.class.getClassLoader());
    }

    /** The plugins of this jar alone, not those its parent (the worker's class path) offers. */
    private static List<TaskHandlerPlugin> plugins(Path jar, URLClassLoader loader) {
        String name = jar.getFileName().toString();
        List<TaskHandlerPlugin> found = new ArrayList<>();
        try {
            ServiceLoader.load(TaskHandlerPlugin.class, loader).stream()
                    .filter(provider -> provider.type().getClassLoader() == loader)
                    .forEach(provider -> found.add(provider.get()));
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new IllegalArgumentException(
                    "plugin jar " + name + " cannot be loaded: " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException(
                    "plugin jar "
                            + name
                            + " offers no "
                            + TaskHandlerPlugin.class.getName()
                            + " (list one in its META-INF/services/"
                            + TaskHandlerPlugin.class.getName()
                            + "); a jar cannot lend classes to another one's plugin: put a"
                            + " plugin's libraries inside its own jar");
        }
        return found;
    }

    private static void closeQuietly(List<URLClassLoader> loaders, RuntimeException failure) {
        for (URLClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
