package org.steno.archive.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.steno.archive.index.Fields;

/**
 * Every hit of a query, in one pass: grouped by meeting (hit count, best score, the best few
 * segments) and counted by speaker and by month. Counting happens per index segment on
 * ordinals (arrays, no lookups per hit) and is merged by value when a segment is done, so a
 * word found a million times costs a million array increments. (lucene-grouping would do
 * the grouping, but is not among the artifacts this project can fetch; lucene-facet would do
 * the counting in a second pass over the same hits.)
 */
final class GroupingCollector implements Collector {

    /** A meeting's hits so far; {@code top} holds global doc ids of its best segments. */
    static final class Group {
        final String meetingId;
        long date;
        int count;
        float best = Float.NEGATIVE_INFINITY;
        final int[] topDocs;
        final float[] topScores;
        int topSize;

        Group(String meetingId, int keep) {
            this.meetingId = meetingId;
            this.topDocs = new int[keep];
            this.topScores = new float[keep];
        }

        void offer(int doc, float score) {
            if (topSize < topDocs.length) {
                topDocs[topSize] = doc;
                topScores[topSize] = score;
                topSize++;
                return;
            }
            int worst = 0;
            for (int i = 1; i < topSize; i++) {
                if (topScores[i] < topScores[worst]) {
                    worst = i;
                }
            }
            if (score > topScores[worst]) {
                topDocs[worst] = doc;
                topScores[worst] = score;
            }
        }
    }

    private final int keepPerMeeting;
    private final Map<String, Group> groups = new HashMap<>();
    private final Map<String, Long> speakers = new HashMap<>();
    private final Map<String, Long> months = new HashMap<>();
    private long totalHits;
    private Leaf current;

    GroupingCollector(int keepPerMeeting) {
        this.keepPerMeeting = keepPerMeeting;
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
        current = new Leaf(context);
        return current;
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE;
    }

    List<Group> groups() {
        return new ArrayList<>(groups.values());
    }

    Map<String, Long> speakers() {
        return speakers;
    }

    Map<String, Long> months() {
        return months;
    }

    long totalHits() {
        return totalHits;
    }

    /** Per index segment: counts by ordinal, merged into the maps above by {@link #finish()}. */
    private final class Leaf implements LeafCollector {
        private final int docBase;
        private final SortedDocValues meeting;
        private final SortedDocValues speaker;
        private final SortedDocValues month;
        private final NumericDocValues date;
        private final Group[] byOrd;
        private final long[] speakerCounts;
        private final long[] monthCounts;
        private Scorable scorer;

        Leaf(LeafReaderContext ctx) throws IOException {
            docBase = ctx.docBase;
            meeting = DocValues.getSorted(ctx.reader(), Fields.MEETING);
            speaker = DocValues.getSorted(ctx.reader(), Fields.SPEAKER_NAME);
            month = DocValues.getSorted(ctx.reader(), Fields.MONTH);
            date = DocValues.getNumeric(ctx.reader(), Fields.DATE);
            byOrd = new Group[Math.max(0, meeting.getValueCount())];
            speakerCounts = new long[Math.max(0, speaker.getValueCount())];
            monthCounts = new long[Math.max(0, month.getValueCount())];
        }

        @Override
        public void setScorer(Scorable scorer) {
            this.scorer = scorer;
        }

        @Override
        public void collect(int doc) throws IOException {
            if (!meeting.advanceExact(doc)) {
                return;
            }
            totalHits++;
            int ord = meeting.ordValue();
            Group g = byOrd[ord];
            if (g == null) {
                String id = meeting.lookupOrd(ord).utf8ToString();
                g = groups.computeIfAbsent(id, k -> new Group(k, keepPerMeeting));
                if (date.advanceExact(doc)) {
                    g.date = date.longValue();
                }
                byOrd[ord] = g;
            }
            float score = scorer.score();
            g.count++;
            g.best = Math.max(g.best, score);
            g.offer(docBase + doc, score);
            if (speaker.advanceExact(doc)) {
                speakerCounts[speaker.ordValue()]++;
            }
            if (month.advanceExact(doc)) {
                monthCounts[month.ordValue()]++;
            }
        }

        @Override
        public void finish() throws IOException {
            for (int i = 0; i < speakerCounts.length; i++) {
                if (speakerCounts[i] > 0) {
                    speakers.merge(speaker.lookupOrd(i).utf8ToString(), speakerCounts[i], Long::sum);
                }
            }
            for (int i = 0; i < monthCounts.length; i++) {
                if (monthCounts[i] > 0) {
                    months.merge(month.lookupOrd(i).utf8ToString(), monthCounts[i], Long::sum);
                }
            }
        }
    }
}
