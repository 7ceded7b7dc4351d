package org.steno.archive.evidence;

import java.util.regex.Pattern;

/**
 * Which objects of a meeting go into its evidence export, and under which name. Only finished
 * files of the storage layout (ARCHITECTURE.md, "Storage") are taken: the meeting's
 * {@code meeting.json}, its chat files, every transcript's formats and every recording's
 * manifest, mix and tracks; segments, parts and markers are work in progress and left out. A
 * name is the object's path under {@code meetings/<id>/}, checked part by part against a plain id
 * pattern, so no entry of the ZIP can name a place outside its folder ({@code ..}, an absolute
 * path, a backslash, a control character).
 */
public final class EvidenceFiles {

    private static final String ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
    private static final Pattern FINISHED = Pattern.compile(
            "meeting\\.json"
                    + "|chat(-[1-9][0-9]{0,5})?\\.json"
                    + "|transcripts/" + ID + "/transcript\\.(json|vtt|srt|txt|rttm)"
                    + "|recordings/" + ID + "/(manifest\\.json|mixed\\.(ogg|m4a)|tracks/" + ID + "/track\\.(ogg|webm))");
    private static final Pattern SAFE_ID = Pattern.compile(ID);

    /** The names the export writes itself; no stored object can take them. */
    public static final String MANIFEST = "manifest.json";
    public static final String SUMS = "SHA256SUMS";
    public static final String EXPORT = "export.json";

    private EvidenceFiles() {
    }

    public static boolean isSafeId(String id) {
        return id != null && SAFE_ID.matcher(id).matches() && !id.contains("..");
    }

    public static String meetingPrefix(String meetingId) {
        return "meetings/" + meetingId + "/";
    }

    /**
     * The entry name (under the export's folder) of an object of the meeting, or null when the
     * object is not a finished file of it or its name is not a plain path.
     */
    public static String entryName(String meetingId, String key) {
        String prefix = meetingPrefix(meetingId);
        if (!isSafeId(meetingId) || key == null || !key.startsWith(prefix)) {
            return null;
        }
        String path = key.substring(prefix.length());
        if (path.contains("..") || path.contains("//") || !FINISHED.matcher(path).matches()) {
            return null;
        }
        return path;
    }

    /** The folder every entry of a meeting's export is in: {@code <meetingId>-evidence/}. */
    public static String folder(String meetingId) {
        return meetingId + "-evidence/";
    }
}
