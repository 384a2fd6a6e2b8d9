package dev.flowpubsub.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every line one logger and its children write during a test, at a level the test chooses (DEBUG: everything an
 * operator could turn on), with its thread and the text of any exception it carries: for tests of what logs may say
 * (no secret) and how often (once per outage). Needs logback as the test's SLF4J backend.
 *
 * <pre>{@code @RegisterExtension final LogCapture logs = LogCapture.of("dev.flowpubsub", Level.DEBUG);}</pre>
 *
 * <p>Threading: lines are appended from any thread; read them after the test's actions.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {

    /** One line as written: its level, logger, thread and the whole text (message, then each exception's). */
    public record Line(Level level, String logger, String thread, String text) {
    }

    private final String loggerName;
    private final Level level;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder text = new StringBuilder(event.getFormattedMessage());
            for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
                text.append(" | ").append(thrown.getClassName()).append(": ").append(thrown.getMessage());
            }
            lines.add(new Line(event.getLevel(), event.getLoggerName(), event.getThreadName(), text.toString()));
        }
    };
    private Level levelBefore;

    private LogCapture(String loggerName, Level level) {
        this.loggerName = loggerName;
        this.level = level;
    }

    /** Captures {@code loggerName} and the loggers below it at {@code level} and above. */
    public static LogCapture of(String loggerName, Level level) {
        return new LogCapture(loggerName, level);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Logger logger = logger();
        levelBefore = logger.getLevel();
        logger.setLevel(level);
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Logger logger = logger();
        logger.detachAppender(appender);
        appender.stop();
        logger.setLevel(levelBefore);
    }

    private Logger logger() {
        if (!(LoggerFactory.getLogger(loggerName) instanceof Logger logger)) {
            throw new IllegalStateException("LogCapture needs logback as the tests' SLF4J backend (logback-classic "
                    + "on the test classpath, and no other backend)");
        }
        return logger;
    }

    /** Every line so far. */
    public List<Line> lines() {
        return new ArrayList<>(lines);
    }

    /** The lines so far whose text contains {@code text}. */
    public List<Line> containing(String text) {
        return lines.stream().filter(line -> line.text().contains(text)).toList();
    }

    /** Forgets the lines so far. */
    public void clear() {
        lines.clear();
    }
}
