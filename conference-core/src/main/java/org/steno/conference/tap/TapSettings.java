package org.steno.conference.tap;

import java.time.Duration;

/**
 * @param ringSpan      how far back a subscriber can resume (media time held per meeting)
 * @param ringMaxEvents hard bound on the ring whatever the span (many speakers)
 * @param heartbeat     interval of heartbeats and of the mixer's clock-driven flush
 * @param mixDelay      how long the mixer waits for late frames of other speakers
 */
public record TapSettings(Duration ringSpan, int ringMaxEvents, Duration heartbeat, Duration mixDelay) {

    /** 30 s ring (at most 60 000 events), 500 ms heartbeats, 200 ms mix delay. */
    public static TapSettings defaults() {
        return new TapSettings(Duration.ofSeconds(30), 60_000, Duration.ofMillis(500), Duration.ofMillis(200));
    }
}
