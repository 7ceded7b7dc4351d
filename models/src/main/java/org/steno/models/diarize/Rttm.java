package org.steno.models.diarize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * NIST RTTM speaker lines: {@code SPEAKER <file> 1 <start> <duration> <NA> <NA> <speaker> <NA> <NA>},
 * the format diarization references and md-eval use.
 */
public final class Rttm {

    /** One labelled stretch of speech; times in seconds. */
    public record Segment(String speaker, double start, double end) {
        public Segment {
            if (!(end > start) || start < 0) {
                throw new IllegalArgumentException("segment of " + speaker + " must have 0 <= start < end, got " + start + "–" + end);
            }
        }
    }

    private Rttm() {
    }

    public static String format(String file, List<Segment> segments) {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            sb.append(String.format(Locale.ROOT, "SPEAKER %s 1 %.3f %.3f <NA> <NA> %s <NA> <NA>%n",
                    file, s.start(), s.end() - s.start(), s.speaker()));
        }
        return sb.toString();
    }

    /** Parses SPEAKER lines; other line types and blank lines are skipped. */
    public static List<Segment> parse(String text) {
        List<Segment> out = new ArrayList<>();
        int lineNumber = 0;
        for (String line : text.split("\\R")) {
            lineNumber++;
            String trimmed = line.trim();
            if (trimmed.isEmpty() || !trimmed.startsWith("SPEAKER")) {
                continue;
            }
            String[] f = trimmed.split("\\s+");
            if (f.length < 8) {
                throw new IllegalArgumentException("RTTM line " + lineNumber + " has " + f.length + " fields, expected 10: " + trimmed);
            }
            double start = Double.parseDouble(f[3]);
            double duration = Double.parseDouble(f[4]);
            out.add(new Segment(f[7], start, start + duration));
        }
        return out;
    }

    /** Segments of builtin turns labelled "spk_N". */
    public static List<Segment> fromTurns(List<Turn> turns) {
        List<Segment> out = new ArrayList<>();
        for (Turn t : turns) {
            out.add(new Segment("spk_" + t.speaker(), t.start(), t.end()));
        }
        return out;
    }
}
