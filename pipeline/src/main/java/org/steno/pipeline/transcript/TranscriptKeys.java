package org.steno.pipeline.transcript;

/** S3 keys of transcripts (ARCHITECTURE.md, "Storage"). The same input always gives the same key. */
public final class TranscriptKeys {

    private TranscriptKeys() {
    }

    public static String prefix(String meetingId, String transcriptId) {
        return "meetings/" + meetingId + "/transcripts/" + transcriptId + "/";
    }

    public static String partsPrefix(String meetingId, String transcriptId) {
        return prefix(meetingId, transcriptId) + "parts/";
    }

    public static String part(String meetingId, String transcriptId, String trackId, long startMs) {
        return partsPrefix(meetingId, transcriptId) + trackId + "/" + startMs + ".json";
    }

    public static String file(String meetingId, String transcriptId, String extension) {
        return prefix(meetingId, transcriptId) + "transcript." + extension;
    }
}
