package io.drover.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * What every Drover server's config file has: the cluster name, the {@code zooKeeper:} section and
 * the {@code security:} section.
 */
public abstract class DroverServerConfig extends Configuration {
    /** The ZooKeeper root is {@code /drover/<cluster>}. */
    @NotNull
    @Pattern(
            regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
            message = "must be 1-64 letters, digits, '.', '_' or '-'")
    @JsonProperty
    public String cluster = "default";

    @Valid @NotNull @JsonProperty public ZooKeeperFactory zooKeeper = new ZooKeeperFactory();

    @Valid @NotNull @JsonProperty public SecurityFactory security = new SecurityFactory();
}
