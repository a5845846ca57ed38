package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.server.internal.PluginLoader;
import io.drover.server.testing.PluginJars;
import io.drover.worker.TaskHandler;
import io.drover.worker.TaskHandlerPlugin;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin loading on real jars compiled here: an absolute folder that only its owner may write, a
 * class loader per jar, and optional SHA-256 pins.
 */
class PluginLoaderTest {
    @TempDir static Path built;

    @TempDir Path dir;

    private final Map<String, TaskHandler> handlers = new LinkedHashMap<>();

    /**
     * Both jars hold a class {@code shared.Tag} of their own, and each plugin names its task types
     * after what it sees: its own {@code Tag}, and whether it can find the other jar's plugin.
     */
    @BeforeAll
    static void buildTwoPluginJars() throws Exception {
        for (String name : new String[] {"alpha", "beta"}) {
            String other = name.equals("alpha") ? "beta" : "alpha";
            String plugin = name + "." + capitalized(name) + "Plugin";
            String otherPlugin = other + "." + capitalized(other) + "Plugin";
            PluginJars.build(
                    built.resolve(name + ".jar"),
                    plugin,
                    Map.of(
                            "shared.Tag",
                            "package shared; public final class Tag { public static String name()"
                                    + " { return \""
                                    + name
                                    + "\"; } }",
                            plugin,
                            "package "
                                    + name
                                    + ";\n"
                                    + "public final class "
                                    + capitalized(name)
                                    + "Plugin"
                                    + " implements io.drover.worker.TaskHandlerPlugin {\n"
                                    + "  public java.util.Map<String, io.drover.worker.TaskHandler>"
                                    + " handlers() {\n"
                                    + "    return java.util.Map.of(\n"
                                    + "        \""
                                    + name
                                    + "-sees-tag-\" + shared.Tag.name(),"
                                    + " ctx -> \""
                                    + name
                                    + "\",\n"
                                    + "        \""
                                    + name
                                    + "-finds-"
                                    + other
                                    + "-\" + finds(\""
                                    + otherPlugin
                                    + "\"), ctx -> \""
                                    + name
                                    + "\");\n"
                                    + "  }\n"
                                    + "  private static boolean finds(String type) {\n"
                                    + "    try {\n"
                                    + "      Class.forName(type, false,"
                                    + " "
                                    + capitalized(name)
                                    + "Plugin.class.getClassLoader());\n"
                                    + "      return true;\n"
                                    + "    } catch (ClassNotFoundException e) {\n"
                                    + "      return false;\n"
                                    + "    }\n"
                                    + "  }\n"
                                    + "}\n"));
        }
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A plugins folder (rwxr-xr-x) holding copies (rw-r--r--) of the named built jars. */
    private Path pluginsWith(String... jars) throws Exception {
        Path plugins = PluginJars.folder(dir.resolve("plugins"));
        for (String jar : jars) {
            PluginJars.chmod(Files.copy(built.resolve(jar), plugins.resolve(jar)), "rw-r--r--");
        }
        return plugins;
    }

    private void load(Path plugins, Map<String, String> pins) {
        PluginLoader.load(plugins.toString(), pins, handlers, new LinkedHashMap<>());
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void noPluginsDir_meansNoPlugins() {
        assertThat(PluginLoader.load("", Map.of(), handlers, new LinkedHashMap<>())).isNull();
        assertThat(PluginLoader.load(null, Map.of(), handlers, new LinkedHashMap<>())).isNull();
        assertThat(handlers).isEmpty();
    }

    @Test
    void relativePluginsDir_isRefused_becauseItDependsOnTheWorkingDirectory() {
        assertThatThrownBy(
                        () ->
                                PluginLoader.load(
                                        "plugins", Map.of(), handlers, new LinkedHashMap<>()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("worker.pluginsDir must be an absolute path, was 'plugins'")
                .hasMessageContaining("working directory");
    }

    @Test
    void pluginsDirThatDoesNotExist_isRefused_ratherThanRunningWithoutPlugins() {
        assertThatThrownBy(() -> load(dir.resolve("missing"), Map.of()))
                .hasMessageContaining("worker.pluginsDir " + dir.resolve("missing"))
                .hasMessageContaining("is not a folder");
    }

    @Test
    void twoPluginJars_eachInItsOwnClassLoader_cannotSeeEachOther() throws Exception {
        load(pluginsWith("alpha.jar", "beta.jar"), Map.of());

        assertThat(handlers)
                .as("each plugin sees its own shared.Tag, and not the other jar's plugin")
                .containsOnlyKeys(
                        "alpha-sees-tag-alpha",
                        "alpha-finds-beta-false",
                        "beta-sees-tag-beta",
                        "beta-finds-alpha-false");
        ClassLoader alpha = handlers.get("alpha-sees-tag-alpha").getClass().getClassLoader();
        ClassLoader beta = handlers.get("beta-sees-tag-beta").getClass().getClassLoader();
        assertThat(alpha).isNotSameAs(beta);
        assertThat(alpha.getName()).isEqualTo("alpha.jar");
        assertThat(beta.getName()).isEqualTo("beta.jar");
        assertThat(beta.getParent()).isSameAs(TaskHandlerPlugin.class.getClassLoader());
        assertThatThrownBy(() -> Class.forName("alpha.AlphaPlugin", false, beta))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(Class.forName("shared.Tag", false, alpha))
                .isNotSameAs(Class.forName("shared.Tag", false, beta));
    }

    @Test
    void pinnedJars_thatMatchTheirSha256_load() throws Exception {
        Path plugins = pluginsWith("alpha.jar", "beta.jar");
        load(
                plugins,
                Map.of(
                        "alpha.jar", sha256(plugins.resolve("alpha.jar")),
                        "beta.jar", sha256(plugins.resolve("beta.jar"))));
        assertThat(handlers).containsKeys("alpha-sees-tag-alpha", "beta-sees-tag-beta");
    }

    @Test
    void pinnedJar_whoseSha256DoesNotMatch_isRefused_namingTheJarAndBothDigests() throws Exception {
        Path plugins = pluginsWith("alpha.jar", "beta.jar");
        String betaPin = sha256(plugins.resolve("alpha.jar")); // the wrong jar's digest
        assertThatThrownBy(
                        () ->
                                load(
                                        plugins,
                                        Map.of(
                                                "alpha.jar",
                                                sha256(plugins.resolve("alpha.jar")),
                                                "beta.jar",
                                                betaPin)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "plugin jar beta.jar has SHA-256 "
                                + sha256(plugins.resolve("beta.jar"))
                                + ", but worker.pluginSha256 pins "
                                + betaPin);
        assertThat(handlers).as("nothing loaded").isEmpty();
    }

    @Test
    void unpinnedJar_isRefused_onceAnyJarIsPinned() throws Exception {
        Path plugins = pluginsWith("alpha.jar", "beta.jar");
        assertThatThrownBy(
                        () ->
                                load(
                                        plugins,
                                        Map.of("alpha.jar", sha256(plugins.resolve("alpha.jar")))))
                .hasMessageContaining(
                        "plugin jar beta.jar (SHA-256 "
                                + sha256(plugins.resolve("beta.jar"))
                                + ") is not pinned in worker.pluginSha256");
        assertThat(handlers).isEmpty();
    }

    @Test
    void pinnedJar_thatIsMissing_isRefused() throws Exception {
        Path plugins = pluginsWith("alpha.jar");
        assertThatThrownBy(
                        () ->
                                load(
                                        plugins,
                                        Map.of(
                                                "alpha.jar",
                                                sha256(plugins.resolve("alpha.jar")),
                                                "beta.jar",
                                                "0".repeat(64))))
                .hasMessageContaining(
                        "worker.pluginSha256 pins plugin jar beta.jar, but "
                                + plugins
                                + " has no such jar");
    }

    @Test
    void pins_withoutAPluginsDir_areRefused() {
        assertThatThrownBy(
                        () ->
                                PluginLoader.load(
                                        "", Map.of("a.jar", "0".repeat(64)), handlers, Map.of()))
                .hasMessageContaining(
                        "worker.pluginSha256 pins [a.jar] but worker.pluginsDir is empty");
    }

    @Test
    void groupWritablePluginsFolder_isRefused_namingThePathAndTheFix() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path plugins = pluginsWith("alpha.jar");
        PluginJars.chmod(plugins, "rwxrwxr-x");
        assertThatThrownBy(() -> load(plugins, Map.of()))
                .hasMessageContaining(
                        "the plugins folder (worker.pluginsDir) "
                                + plugins
                                + " is writable by group or others (rwxrwxr-x)")
                .hasMessageEndingWith("chmod go-w " + plugins);
        assertThat(handlers).isEmpty();
    }

    @Test
    void pluginJarWritableByOthers_isRefused_namingTheJarAndTheFix() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path plugins = pluginsWith("alpha.jar");
        PluginJars.chmod(plugins.resolve("alpha.jar"), "rw-r--rw-");
        assertThatThrownBy(() -> load(plugins, Map.of()))
                .hasMessageContaining("plugin jar " + plugins.resolve("alpha.jar"))
                .hasMessageEndingWith("chmod go-w " + plugins.resolve("alpha.jar"));
    }

    @Test
    void brokenJar_andJarWithoutAPlugin_areRefused_namingTheJar() throws Exception {
        Path plugins = pluginsWith();
        PluginJars.chmod(
                Files.writeString(plugins.resolve("broken.jar"), "not a zip"), "rw-r--r--");
        assertThatThrownBy(() -> load(plugins, Map.of()))
                .hasMessageContaining("plugin jar broken.jar cannot be read as a jar");

        Files.delete(plugins.resolve("broken.jar"));
        Path empty = plugins.resolve("library.jar");
        try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(empty))) {
            jar.putNextEntry(new java.util.jar.JarEntry("lib/readme.txt"));
        }
        PluginJars.chmod(empty, "rw-r--r--");
        assertThatThrownBy(() -> load(plugins, Map.of()))
                .hasMessageContaining(
                        "plugin jar library.jar offers no io.drover.worker.TaskHandlerPlugin");
    }
}
