package io.drover.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures what one logger writes, so a test can wait for a component to report that something
 * happened that leaves no other trace (a write that failed). Detach with {@link #close()}.
 */
final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture(Class<?> of) {
        this(of.getName());
    }

    /** By logger name: for a component's internal classes, which tests do not import. */
    LogCapture(String name) {
        this.logger = (Logger) LoggerFactory.getLogger(name);
        appender.start();
        logger.addAppender(appender);
    }

    boolean contains(String fragment) {
        synchronized (appender.list) {
            return appender.list.stream().anyMatch(e -> e.getFormattedMessage().contains(fragment));
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
