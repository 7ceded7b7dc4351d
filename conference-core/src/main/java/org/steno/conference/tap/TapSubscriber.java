package org.steno.conference.tap;

/**
 * Receives one meeting's tap: {@link #started} once, then events in order. Called on
 * producer threads under the meeting tap's lock: implementations must be quick and never
 * block (queue and drop, as MediaTap does).
 */
public interface TapSubscriber {

    /** First call: where the delivery starts; replayed events follow through {@link #onReplay}. */
    void started(TapStart start);

    void onEvent(TapEvent event);

    /**
     * An event replayed from the ring right after {@link #started} (a subscription that
     * resumes), before any live event. The tap holds these already, bounded by its ring: a
     * subscriber must not drop them for being many at once, or resuming would lose exactly
     * the audio it resumes for.
     */
    default void onReplay(TapEvent event) {
        onEvent(event);
    }

    /**
     * How full this subscriber's send buffer is, 0–100. Producers that may wait (FAST
     * ingest) slow down while a subscriber is behind; live audio never waits.
     */
    default int backlogPercent() {
        return 0;
    }
}
