package org.steno.archive.search;

import java.util.List;

/**
 * One page of results, grouped by meeting.
 *
 * @param totalMeetings meetings in scope with at least one hit
 * @param totalHits     matching segments in those meetings
 * @param speakers      facet: segments per speaker name, most first
 * @param months        facet: segments per month ("2026-12"), newest first
 */
public record SearchResult(long totalMeetings, long totalHits, int page, int pageSize, String sort,
                           List<MeetingHits> meetings, List<FacetValue> speakers, List<FacetValue> months) {

    /** A meeting with its best hits in context (at most a few; hitCount says how many there are). */
    public record MeetingHits(String meetingId, String title, long dateMillis, int hitCount, float bestScore, List<Hit> hits) {
    }

    /**
     * One segment: who spoke, when in the meeting (media time), and its text with the matched
     * words as character ranges {@code [start, end)} into {@code text}.
     */
    public record Hit(String transcriptId, String segmentId, String speaker, long startMs, long endMs, String language,
                      String text, List<int[]> highlights) {
    }

    public record FacetValue(String value, long count) {
    }
}
