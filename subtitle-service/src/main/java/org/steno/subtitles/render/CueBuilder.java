package org.steno.subtitles.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.proto.transcript.v1.Word;

/**
 * Cuts a transcript into caption cues following common captioning practice (BBC, Netflix,
 * W3C examples): at most two lines of at most 42 characters, at most 7 seconds on screen,
 * one speaker per cue, cues in time order, each ending after it starts. Words carry the
 * times; a segment without word times is spread over its span in proportion to characters.
 */
public final class CueBuilder {

    public static final int MAX_LINE_CHARS = 42;
    public static final int MAX_LINES = 2;
    public static final long MAX_CUE_MS = 7_000;
    /** A cue shorter than this cannot be read; it is stretched (captions may overlap a little). */
    static final long MIN_CUE_MS = 300;

    private CueBuilder() {
    }

    public static List<Cue> cues(Transcript t) {
        Map<String, String> names = new HashMap<>();
        for (Speaker s : t.getSpeakersList()) {
            names.put(s.getSpeakerId(), s.getDisplayName().isEmpty() ? s.getSpeakerId() : s.getDisplayName());
        }
        List<Cue> out = new ArrayList<>();
        for (Segment seg : t.getSegmentsList()) {
            String speaker = names.getOrDefault(seg.getSpeakerId(), seg.getSpeakerId());
            out.addAll(cues(timedWords(seg), speaker));
        }
        out.sort(Comparator.comparingLong(Cue::startMs).thenComparingLong(Cue::endMs));
        return out;
    }

    record TimedWord(String text, long startMs, long endMs) {
    }

    static List<TimedWord> timedWords(Segment seg) {
        List<TimedWord> out = new ArrayList<>();
        if (seg.getWordsCount() > 0) {
            for (Word w : seg.getWordsList()) {
                if (!w.getText().isBlank()) {
                    out.add(new TimedWord(w.getText().strip(), ms(w.getMediaStart()), Math.max(ms(w.getMediaStart()), ms(w.getMediaEnd()))));
                }
            }
            return out;
        }
        String[] words = seg.getText().strip().split("\\s+");
        long start = ms(seg.getMediaStart());
        long span = Math.max(0, ms(seg.getMediaEnd()) - start);
        int chars = seg.getText().strip().length();
        int at = 0;
        for (String w : words) {
            if (w.isEmpty()) {
                continue;
            }
            long s = start + (chars == 0 ? 0 : span * at / chars);
            at += w.length() + 1;
            long e = start + (chars == 0 ? 0 : span * Math.min(at, chars) / chars);
            out.add(new TimedWord(w, s, e));
        }
        return out;
    }

    /** Greedy fill: a cue takes words while they fit in two lines and seven seconds. */
    static List<Cue> cues(List<TimedWord> words, String speaker) {
        List<Cue> out = new ArrayList<>();
        List<TimedWord> current = new ArrayList<>();
        for (TimedWord w : words) {
            if (!current.isEmpty()) {
                List<TimedWord> trial = new ArrayList<>(current);
                trial.add(w);
                boolean fits = lines(trial) != null && w.endMs() - current.get(0).startMs() <= MAX_CUE_MS;
                if (!fits) {
                    out.add(cue(current, speaker));
                    current.clear();
                }
            }
            current.add(w);
        }
        if (!current.isEmpty()) {
            out.add(cue(current, speaker));
        }
        return out;
    }

    private static Cue cue(List<TimedWord> words, String speaker) {
        List<String> lines = lines(words);
        if (lines == null) {
            // One word longer than a line: show it alone, cut at the limit.
            lines = List.of(words.get(0).text().substring(0, Math.min(words.get(0).text().length(), MAX_LINE_CHARS)));
        }
        long start = words.get(0).startMs();
        long end = Math.max(words.get(words.size() - 1).endMs(), start + MIN_CUE_MS);
        return new Cue(start, Math.min(end, start + MAX_CUE_MS), speaker, lines);
    }

    /**
     * Breaks words into at most two lines of at most 42 characters, as balanced as possible
     * (a short second line reads badly); null when they do not fit.
     */
    static List<String> lines(List<TimedWord> words) {
        String all = join(words, 0, words.size());
        if (all.length() <= MAX_LINE_CHARS) {
            return List.of(all);
        }
        List<String> best = null;
        int bestDiff = Integer.MAX_VALUE;
        for (int cut = 1; cut < words.size(); cut++) {
            String a = join(words, 0, cut);
            String b = join(words, cut, words.size());
            if (a.length() <= MAX_LINE_CHARS && b.length() <= MAX_LINE_CHARS && Math.abs(a.length() - b.length()) < bestDiff) {
                bestDiff = Math.abs(a.length() - b.length());
                best = List.of(a, b);
            }
        }
        return best;
    }

    private static String join(List<TimedWord> words, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(words.get(i).text());
        }
        return sb.toString();
    }

    static long ms(com.google.protobuf.Duration d) {
        return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
    }
}
