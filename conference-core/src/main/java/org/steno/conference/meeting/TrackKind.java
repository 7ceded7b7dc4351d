package org.steno.conference.meeting;

public enum TrackKind {
    AUDIO, VIDEO
}
