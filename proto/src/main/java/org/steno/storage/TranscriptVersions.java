package org.steno.storage;

/**
 * Which version a transcript of the bucket is, by its id ({@code meetings/<m>/transcripts/<id>/}):
 * {@code final-<recordingId>} is the pass over a finished recording after the meeting, which
 * supersedes the meeting's live transcripts (the pipeline's, kept beside it); every other id is live.
 * The writer (pipeline), the archive's listing and the search index read versions only through here.
 */
public final class TranscriptVersions {

    public static final String FINAL_PREFIX = "final-";

    private TranscriptVersions() {
    }

    /** The id of the final transcript made from a recording. */
    public static String finalFor(String recordingId) {
        return FINAL_PREFIX + recordingId;
    }

    public static boolean isFinal(String transcriptId) {
        return transcriptId != null && transcriptId.startsWith(FINAL_PREFIX);
    }

    /** {@code final} or {@code live}, as the archive's API says it. */
    public static String versionOf(String transcriptId) {
        return isFinal(transcriptId) ? "final" : "live";
    }
}
