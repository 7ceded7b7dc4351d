package org.steno.subtitles.render;

import java.util.HashMap;
import java.util.Map;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;

/** Plain text for reading: one paragraph per segment, {@code [hh:mm:ss] Name: text}. */
public final class TextRenderer {

    private TextRenderer() {
    }

    public static String render(Transcript t) {
        Map<String, String> names = new HashMap<>();
        for (Speaker s : t.getSpeakersList()) {
            names.put(s.getSpeakerId(), s.getDisplayName().isEmpty() ? s.getSpeakerId() : s.getDisplayName());
        }
        StringBuilder sb = new StringBuilder();
        for (Segment seg : t.getSegmentsList()) {
            long ms = CueBuilder.ms(seg.getMediaStart());
            sb.append(String.format("[%02d:%02d:%02d] ", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60));
            String name = names.getOrDefault(seg.getSpeakerId(), seg.getSpeakerId());
            if (!name.isEmpty()) {
                sb.append(name).append(": ");
            }
            sb.append(seg.getText().strip()).append("\n\n");
        }
        return sb.toString();
    }
}
