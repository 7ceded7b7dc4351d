package org.steno.archive.index;

import java.util.List;
import java.util.Locale;

/**
 * The fields of the index. One document per transcript segment, plus one {@link #KIND_SOURCE}
 * document per transcript that remembers which stored object (key and ETag) the segments came
 * from, so the index can tell after a restart what the bucket has that it lacks.
 */
public final class Fields {

    private Fields() {
    }

    public static final String KIND = "kind";
    public static final String KIND_SEGMENT = "segment";
    public static final String KIND_SOURCE = "source";

    /** The S3 key of the transcript.json every document of a transcript came from: the unit of replacement. */
    public static final String SOURCE_KEY = "source_key";
    public static final String SOURCE_ETAG = "source_etag";

    public static final String MEETING = "meeting";
    public static final String TRANSCRIPT = "transcript";
    public static final String SEGMENT = "segment_id";
    public static final String TITLE = "title";
    /** The speaker's display name, analyzed (folded) for {@code speaker:} queries. */
    public static final String SPEAKER = "speaker";
    /** The display name as written: facet and display. */
    public static final String SPEAKER_NAME = "speaker_name";
    /** The speaker's stable identity (account or guest id), matched exactly by {@code speaker:}. */
    public static final String SPEAKER_IDENTITY = "speaker_identity";
    public static final String START_MS = "start_ms";
    public static final String END_MS = "end_ms";
    /** Primary language subtag, lower case: "fr", "en". */
    public static final String LANGUAGE = "language";
    /** Wall-clock instant of the meeting's start, epoch milliseconds (point for ranges, doc value for sorting). */
    public static final String DATE = "date";
    /** "2026-12", the meeting's month in UTC: a facet. */
    public static final String MONTH = "month";

    /** The segment's text, in the field of its language (exactly one of these per segment). */
    public static final String TEXT_FR = "text_fr";
    public static final String TEXT_EN = "text_en";
    public static final String TEXT_OTHER = "text";
    public static final List<String> TEXT_FIELDS = List.of(TEXT_FR, TEXT_EN, TEXT_OTHER);

    /**
     * The same text as pairs of adjacent words ("budget vote" is one term), indexed beside each
     * text field and never stored: a phrase is looked up as its pairs, a few rare terms instead
     * of the positions of every segment holding its frequent words.
     */
    public static String pairsOf(String textField) {
        return textField + "_pairs";
    }

    /** "fr-FR" → "fr"; "" stays "". */
    public static String primaryLanguage(String bcp47) {
        if (bcp47 == null || bcp47.isBlank()) {
            return "";
        }
        String s = bcp47.strip().toLowerCase(Locale.ROOT);
        int dash = s.indexOf('-');
        return dash < 0 ? s : s.substring(0, dash);
    }

    /** Which text field holds a segment of this language. */
    public static String textField(String language) {
        return switch (primaryLanguage(language)) {
            case "fr" -> TEXT_FR;
            case "en" -> TEXT_EN;
            default -> TEXT_OTHER;
        };
    }
}
