package org.steno.conference.meeting;

/** What a track captures. */
public enum TrackSource {
    MICROPHONE, CAMERA, SCREEN, INGEST
}
