package org.steno.subtitles.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.steno.proto.transcript.v1.CoverageGap;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;

/**
 * Plain text for reading: one paragraph per segment, {@code [hh:mm:ss] Name: text}; audio that
 * was never transcribed is a paragraph of its own where it happened, so a reader sees the hole
 * ({@code [hh:mm:ss] (no transcript for 0.8 s of Bob: reason)}).
 */
public final class TextRenderer {

    private TextRenderer() {
    }

    private record Paragraph(long ms, String text) {
    }

    public static String render(Transcript t) {
        Map<String, String> names = new HashMap<>();
        Map<String, String> trackNames = new HashMap<>();
        for (Speaker s : t.getSpeakersList()) {
            String name = s.getDisplayName().isEmpty() ? s.getSpeakerId() : s.getDisplayName();
            names.put(s.getSpeakerId(), name);
            if (!s.getIsDiarized()) {
                trackNames.putIfAbsent(s.getSourceTrackId(), name);
            }
        }
        List<Paragraph> paragraphs = new ArrayList<>();
        for (Segment seg : t.getSegmentsList()) {
            String name = names.getOrDefault(seg.getSpeakerId(), seg.getSpeakerId());
            paragraphs.add(new Paragraph(CueBuilder.ms(seg.getMediaStart()),
                    (name.isEmpty() ? "" : name + ": ") + seg.getText().strip()));
        }
        for (CoverageGap g : t.getGapsList()) {
            long from = CueBuilder.ms(g.getMediaStart());
            String whose = g.getTrackId().isEmpty() ? "everyone" : trackNames.getOrDefault(g.getTrackId(), "track " + g.getTrackId());
            paragraphs.add(new Paragraph(from, String.format(java.util.Locale.ROOT, "(no transcript for %.1f s of %s: %s)",
                    (CueBuilder.ms(g.getMediaEnd()) - from) / 1000.0, whose, g.getReason())));
        }
        // Stable: a gap at the same instant as a segment comes after it.
        paragraphs.sort(Comparator.comparingLong(Paragraph::ms));
        StringBuilder sb = new StringBuilder();
        for (Paragraph p : paragraphs) {
            long ms = p.ms();
            sb.append(String.format("[%02d:%02d:%02d] ", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60))
                    .append(p.text()).append("\n\n");
        }
        return sb.toString();
    }
}
