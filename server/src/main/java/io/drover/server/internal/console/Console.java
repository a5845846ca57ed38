package io.drover.server.internal.console;

import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;

/**
 * The web console on a coordinator's application port: {@code /} and {@code /console/*} serve its
 * files ({@link ConsoleServlet}) beside Jersey's {@code /v1/*}, and every answer of the port
 * carries the {@link SecurityHeaders}. See {@code docs/console.md}.
 */
public final class Console {
    private Console() {}

    public static void install(Environment env) {
        // "" is the servlet spec's exact match for the context root: it wins over Jersey's "/*",
        // which keeps every other path.
        env.servlets()
                .addServlet("drover-console", new ConsoleServlet())
                .addMapping("", "/console/*");
        env.servlets()
                .addFilter("drover-security-headers", new SecurityHeaders())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    }
}
