package org.steno.conference.meeting;

/** How a participant is connected: a browser over WebRTC, or a file fed through MediaIngest. */
public enum ParticipantKind {
    BROWSER, INGEST
}
