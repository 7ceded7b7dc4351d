package org.steno.subtitles.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Transcript;

/**
 * NIST RTTM speaker turns, the input of diarization scoring (md-eval, dscore):
 * {@code SPEAKER <file> 1 <onset s> <duration s> <NA> <NA> <speaker> <NA> <NA>}, one line
 * per segment in start order; zero-length segments are left out (scorers reject them).
 */
public final class RttmWriter {

    private RttmWriter() {
    }

    public static String render(Transcript t, String fileId) {
        String file = token(fileId.isEmpty() ? "audio" : fileId);
        List<Segment> segs = new ArrayList<>(t.getSegmentsList());
        segs.sort(java.util.Comparator.comparingLong(s -> CueBuilder.ms(s.getMediaStart())));
        StringBuilder sb = new StringBuilder();
        for (Segment s : segs) {
            long start = CueBuilder.ms(s.getMediaStart());
            long dur = CueBuilder.ms(s.getMediaEnd()) - start;
            if (dur <= 0) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "SPEAKER %s 1 %.3f %.3f <NA> <NA> %s <NA> <NA>%n", file, start / 1000.0,
                    dur / 1000.0, token(s.getSpeakerId().isEmpty() ? "unknown" : s.getSpeakerId())));
        }
        return sb.toString();
    }

    /** RTTM fields are whitespace-separated: no spaces inside one. */
    static String token(String s) {
        return s.strip().replaceAll("\\s+", "_");
    }
}
