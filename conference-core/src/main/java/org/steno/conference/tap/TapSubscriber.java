package org.steno.conference.tap;

/**
 * Receives one meeting's tap: {@link #started} once, then events in order. Called on
 * producer threads under the meeting tap's lock: implementations must be quick and never
 * block (queue and drop, as MediaTap does).
 */
public interface TapSubscriber {

    /** First call: where the delivery starts; replayed events follow through {@link #onEvent}. */
    void started(TapStart start);

    void onEvent(TapEvent event);

    /**
     * How full this subscriber's send buffer is, 0–100. Producers that may wait (FAST
     * ingest) slow down while a subscriber is behind; live audio never waits.
     */
    default int backlogPercent() {
        return 0;
    }
}
