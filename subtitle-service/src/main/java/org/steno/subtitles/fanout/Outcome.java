package org.steno.subtitles.fanout;

/** What the fan-out did with a published caption event. */
public enum Outcome {
    /** New segment or higher revision: forwarded to the meeting's viewers. */
    ACCEPTED,
    /** The same (meeting, segment, revision) was already received. */
    DUPLICATE,
    /** A higher revision of the segment was already received. */
    STALE,
    /** Spoken before captions were turned off, arriving after: not shown (the transcript keeps it). */
    AFTER_OFF
}
