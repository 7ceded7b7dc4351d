package org.steno.subtitles.render;

import java.util.List;
import org.steno.proto.transcript.v1.Transcript;

/**
 * SubRip (.srt): numbered cues from 1, {@code hh:mm:ss,ttt --> hh:mm:ss,ttt}, the text, a
 * blank line. SRT has no voice tag; the speaker leads the first line as {@code Name: }
 * whenever the speaker changes, the way broadcasters caption dialogue.
 */
public final class SrtRenderer {

    private SrtRenderer() {
    }

    public static String render(Transcript t) {
        return render(CueBuilder.cues(t));
    }

    public static String render(List<Cue> cues) {
        StringBuilder sb = new StringBuilder();
        int n = 1;
        String lastSpeaker = null;
        for (Cue c : cues) {
            sb.append(n++).append('\n');
            sb.append(time(c.startMs())).append(" --> ").append(time(c.endMs())).append('\n');
            boolean named = !c.speaker().isEmpty() && !c.speaker().equals(lastSpeaker);
            for (int i = 0; i < c.lines().size(); i++) {
                if (i == 0 && named) {
                    sb.append(c.speaker().replace('\n', ' ')).append(": ");
                }
                sb.append(c.lines().get(i)).append('\n');
            }
            sb.append('\n');
            lastSpeaker = c.speaker();
        }
        return sb.toString();
    }

    static String time(long ms) {
        return String.format("%02d:%02d:%02d,%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }
}
