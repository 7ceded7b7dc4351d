package org.steno.recorder.store;

/** Object keys of a recording, as laid out in the architecture's storage section. */
public final class Keys {

    private Keys() {
    }

    /** Keeps ids safe as key parts: anything but letters, digits, '.', '_' and '-' becomes '_'. */
    public static String safe(String id) {
        String s = id == null || id.isEmpty() ? "_" : id.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.equals(".") || s.equals("..") ? "_" : s;
    }

    public static String recording(String meetingId, String recordingId) {
        return "meetings/" + safe(meetingId) + "/recordings/" + safe(recordingId) + "/";
    }

    public static String trackDir(String recordingPrefix, String participantId, String trackId) {
        return recordingPrefix + "tracks/" + safe(participantId) + "-" + safe(trackId) + "/";
    }

    public static String mixedDir(String recordingPrefix) {
        return recordingPrefix + "mixed/";
    }

    /** Whether a key is one of a recording's 10 s segments or its commit record (consumed by finalizing). */
    public static boolean isSegment(String key) {
        return key.substring(key.lastIndexOf('/') + 1).startsWith("segment-");
    }
}
