package org.steno.subtitles.render;

import java.util.List;

/**
 * One caption on screen: a time span (milliseconds of media time), the speaker's display name
 * (empty when unknown) and at most two lines of text.
 */
public record Cue(long startMs, long endMs, String speaker, List<String> lines) {

    public Cue {
        if (endMs <= startMs) {
            throw new IllegalArgumentException("cue ends at " + endMs + " ms, not after its start " + startMs + " ms");
        }
        lines = List.copyOf(lines);
    }

    public String text() {
        return String.join(" ", lines);
    }
}
