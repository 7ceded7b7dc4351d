package org.steno.pipeline.speech;

import java.io.Serializable;

/**
 * How {@link DiarizeFunction} talks to a Diarizer, and how long the transcript waits for it.
 *
 * @param target            gRPC target of the Diarizer, {@code host:port}
 * @param latencyBudgetMs   the diarizer's latency budget (its provisional turns come this late)
 * @param sendTimeoutMs     longest wait for gRPC flow control before the session is declared stuck
 * @param maxBackoffMs      cap of the exponential reconnect backoff (starts at 200 ms)
 * @param idleFlushMs       silence after a speech segment before the diarizer is asked to finalise
 *                          its turns (a flush); while people keep talking it finalises them
 *                          itself, with the hindsight that keeps short turns from merging
 * @param attributionWaitMs longest time a closed segment of a shared microphone waits for the
 *                          diarizer's turns before it is stored attributed to the track's owner
 * @param drainIntervalMs   how often turns are collected while a track waits for them
 * @param sessionDeadlineMs deadline of one StreamingDiarize call (streams may last hours)
 */
public record DiarizerSettings(String target, long latencyBudgetMs, long sendTimeoutMs, long maxBackoffMs,
                               long idleFlushMs, long attributionWaitMs, long drainIntervalMs, long sessionDeadlineMs) implements Serializable {

    public static DiarizerSettings defaults(String target) {
        return new DiarizerSettings(target, 2000, 10_000, 10_000, 3000, 15_000, 10, 6 * 3600_000L);
    }
}
