package org.steno.server.archive;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which objects of a meeting are finished files a person may download, by their path under
 * {@code meetings/<id>/} (ARCHITECTURE.md, "Storage"). Everything else there (segments,
 * transcript parts, gaps, recording markers) is work in progress of the recorder or the
 * pipeline. Every part of a path is checked against a plain id pattern, so no path can step
 * outside its meeting.
 */
final class ArchivePaths {

    static final List<String> TRANSCRIPT_FORMATS = List.of("vtt", "srt", "txt", "json", "rttm");

    private static final String ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
    private static final Pattern TRANSCRIPT = Pattern.compile("transcripts/(" + ID + ")/transcript\\.(json|vtt|srt|txt|rttm)");
    private static final Pattern RECORDING = Pattern.compile(
            "recordings/(" + ID + ")/(manifest\\.json|mixed\\.(ogg|m4a)|tracks/" + ID + "/track\\.(ogg|webm))");
    /** The meeting's chat, one file per session of the meeting (ChatArchive): chat.json, chat-2.json… */
    private static final Pattern CHAT = Pattern.compile("chat(-[1-9][0-9]{0,5})?\\.json");
    private static final Pattern SAFE_ID = Pattern.compile(ID);

    private ArchivePaths() {
    }

    /** A finished file: of a transcript run or of a recording (the other id is null), or the chat (both null). */
    record Finished(String transcriptId, String recordingId) {
        boolean chat() {
            return transcriptId == null && recordingId == null;
        }
    }

    static boolean isSafeId(String id) {
        return id != null && SAFE_ID.matcher(id).matches() && !id.contains("..");
    }

    static String meetingPrefix(String meetingId) {
        return "meetings/" + meetingId + "/";
    }

    /** The file at {@code path} (relative to the meeting) if it is a finished one, else null. */
    static Finished finished(String path) {
        if (path == null || path.contains("..")) {
            return null;
        }
        Matcher t = TRANSCRIPT.matcher(path);
        if (t.matches()) {
            return new Finished(t.group(1), null);
        }
        Matcher r = RECORDING.matcher(path);
        if (r.matches()) {
            return new Finished(null, r.group(1));
        }
        if (CHAT.matcher(path).matches()) {
            return new Finished(null, null);
        }
        return null;
    }

    static String contentType(String path) {
        String ext = path.substring(path.lastIndexOf('.') + 1);
        return switch (ext) {
            case "json" -> "application/json";
            case "vtt" -> "text/vtt; charset=utf-8";
            case "srt" -> "application/x-subrip; charset=utf-8";
            case "txt", "rttm" -> "text/plain; charset=utf-8";
            case "ogg" -> "audio/ogg";
            case "m4a" -> "audio/mp4";
            case "webm" -> "video/webm";
            default -> "application/octet-stream";
        };
    }

    /**
     * Transcripts are saved as files named after the meeting; media plays in place (an audio
     * element), and is saved under the same kind of name when asked.
     */
    static String disposition(String meetingId, String path) {
        String name = meetingId + "-" + path.replace("transcripts/", "").replace("recordings/", "")
                .replace("/tracks/", "-").replace("/", "-");
        boolean media = path.endsWith(".ogg") || path.endsWith(".m4a") || path.endsWith(".webm");
        return (media ? "inline" : "attachment") + "; filename=\"" + name + "\"";
    }
}
