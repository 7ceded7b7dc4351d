package org.steno.subtitles.render;

import java.util.List;
import org.steno.proto.transcript.v1.Transcript;

/**
 * WebVTT (W3C): a {@code WEBVTT} header, then cues with {@code hh:mm:ss.ttt --> hh:mm:ss.ttt}
 * timings in start order and the speaker as a voice span {@code <v Name>…</v>}. Text is
 * escaped ({@code &}, {@code <}, {@code >}); names lose characters that would end the tag.
 */
public final class WebVttRenderer {

    private WebVttRenderer() {
    }

    public static String render(Transcript t) {
        return render(CueBuilder.cues(t));
    }

    public static String render(List<Cue> cues) {
        StringBuilder sb = new StringBuilder("WEBVTT\n\n");
        int n = 1;
        for (Cue c : cues) {
            sb.append(n++).append('\n');
            sb.append(time(c.startMs())).append(" --> ").append(time(c.endMs())).append('\n');
            for (int i = 0; i < c.lines().size(); i++) {
                if (i == 0 && !c.speaker().isEmpty()) {
                    sb.append("<v ").append(voiceName(c.speaker())).append('>');
                }
                sb.append(escape(c.lines().get(i)));
                if (i == c.lines().size() - 1 && !c.speaker().isEmpty()) {
                    sb.append("</v>");
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String time(long ms) {
        return String.format("%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** A voice annotation ends at '>' and may not contain a line break or "-->". */
    static String voiceName(String s) {
        return escape(s.replace("\n", " ").replace("\r", " ").replace("-->", "->"));
    }
}
