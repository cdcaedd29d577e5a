package dev.coffer.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures logging in code (no logback.xml to get wrong): human-readable lines by default, one JSON object
 * per line with {@code log_format = "json"}. Helidon's JUL output is bridged and kept at WARN.
 */
public final class LogSetup {
    private LogSetup() {
    }

    public static void configure(String level, String format) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Encoder<ILoggingEvent> encoder = "json".equalsIgnoreCase(format) ? jsonEncoder(ctx) : patternEncoder(ctx);
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(ctx);
        out.setName("console");
        out.setEncoder(encoder);
        out.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(out);
        root.setLevel(parse(level));
        ctx.getLogger("io.helidon").setLevel(Level.WARN);
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
    }

    /** Accepts Vault's level names; anything else is an error naming the accepted ones. */
    public static Level parse(String level) {
        if (level == null || level.isBlank()) {
            return Level.INFO;
        }
        return switch (level.strip().toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn", "warning" -> Level.WARN;
            case "err", "error" -> Level.ERROR;
            default -> throw new IllegalArgumentException("log level \"" + level
                    + "\" is not one of trace, debug, info, warn, error");
        };
    }

    private static Encoder<ILoggingEvent> patternEncoder(LoggerContext ctx) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(ctx);
        e.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} [%-5level] %logger{0}: %msg%n%ex{short}");
        e.start();
        return e;
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext ctx) {
        JsonEncoder e = new JsonEncoder();
        e.setContext(ctx);
        e.setWithSequenceNumber(false);
        e.setWithNanoseconds(false);
        e.setWithContext(false);
        e.setWithArguments(false);
        e.setWithMessage(false);
        e.setWithFormattedMessage(true);
        e.setWithMDC(false);
        e.start();
        return e;
    }
}
