package io.drover.server;

import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.drover.server.internal.QuietServerCommand;
import io.drover.server.internal.ServerSupport;

/**
 * The base of Drover's servers: config files read the environment, and a failed start is one line,
 * not a stack trace.
 */
public abstract class DroverApplication<C extends DroverServerConfig> extends Application<C> {
    @Override
    protected void addDefaultCommands(Bootstrap<C> bootstrap) {
        bootstrap.addCommand(new QuietServerCommand<>(this));
    }

    @Override
    public void initialize(Bootstrap<C> bootstrap) {
        ServerSupport.substituteEnvironment(bootstrap);
    }
}
