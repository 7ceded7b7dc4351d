package org.steno.pipeline.speech;

import java.io.Serializable;

/**
 * How {@link RecognizeFunction} talks to a Transcriber.
 *
 * @param target            gRPC target of the Transcriber, {@code host:port}
 * @param defaultLanguage   BCP-47 tag used when the meeting chose none
 * @param sendTimeoutMs     longest wait for gRPC flow control before the session is declared stuck
 * @param flushTimeoutMs    longest wait for a FlushDone before the session is declared stuck
 * @param maxBackoffMs      cap of the exponential reconnect backoff (starts at 200 ms)
 * @param maxUnconfirmedMs  audio kept per track until the recogniser confirms it final; older
 *                          audio is dropped (with a warning) while the model server is down
 * @param drainIntervalMs   how often results are collected while a track waits for them
 * @param sessionDeadlineMs deadline of one StreamingRecognize call (streams may last hours)
 */
public record RecognizerSettings(String target, String defaultLanguage, long sendTimeoutMs, long flushTimeoutMs,
                                 long maxBackoffMs, long maxUnconfirmedMs, long drainIntervalMs,
                                 long sessionDeadlineMs) implements Serializable {

    public static RecognizerSettings defaults(String target) {
        return new RecognizerSettings(target, "en-US", 10_000, 30_000, 10_000, 60_000, 5, 6 * 3600_000L);
    }
}
