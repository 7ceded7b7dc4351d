package org.steno.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;
import org.steno.server.config.StenoConfig;

/** Switches the console log to one JSON object per line when {@code log.format=json}. */
final class LogSetup {

    private LogSetup() {
    }

    static void apply(StenoConfig.LogFormat format) {
        if (format != StenoConfig.LogFormat.JSON || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (!(root.getAppender("STDOUT") instanceof ConsoleAppender<ILoggingEvent> console)) {
            return;
        }
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(ctx);
        // One line a person or a log shipper can read: the rendered message, not the template.
        encoder.setWithFormattedMessage(true);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.start();
        console.stop();
        console.setEncoder(encoder);
        console.start();
    }
}
