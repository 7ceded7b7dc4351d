package org.steno.recorder.track;

/** Counters of one track, for logs and tests: what came in and what was thrown away, and why. */
public record TrackStats(long packets, long written, long late, long corrupt, long resyncs, long ssrcChanges,
                         long framesDropped) {
}
