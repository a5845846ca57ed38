package io.drover.server.internal;

import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import java.util.LinkedHashSet;
import java.util.Set;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * Dropwizard's {@code server} command, reporting a failure to start (a bad config file, an
 * unreachable ZooKeeper, a busy port, a broken plugin) as its messages rather than a stack trace.
 */
public final class QuietServerCommand<T extends Configuration> extends ServerCommand<T> {
    public QuietServerCommand(Application<T> application) {
        super(application);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println("drover: cannot start: " + describe(e));
    }

    /** The distinct messages of the cause chain, outermost first. */
    public static String describe(Throwable e) {
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable t = e;
                t != null && messages.size() < 5;
                t = t.getCause() == t ? null : t.getCause()) {
            // "java.io.IOException: Failed to bind" says no more than "Failed to bind"
            String m =
                    t.getMessage() == null
                            ? null
                            : t.getMessage()
                                    .replaceFirst("^(?:[a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]*: ", "");
            if (m != null
                    && !m.isBlank()
                    && messages.stream().noneMatch(seen -> seen.contains(m.strip()))) {
                messages.add(m.strip());
            }
        }
        return messages.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", messages);
    }
}
