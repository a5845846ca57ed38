package io.drover.coordinator.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a term's parts one by one, so that one that fails to close does not keep the rest open.
 */
final class Closing {
    private static final Logger LOG = LoggerFactory.getLogger(Closing.class);

    private Closing() {}

    static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }
}
