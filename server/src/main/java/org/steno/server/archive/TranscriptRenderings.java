package org.steno.server.archive;

import java.util.List;
import org.steno.archive.evidence.TranscriptFormats;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.subtitles.render.RttmWriter;
import org.steno.subtitles.render.SrtRenderer;
import org.steno.subtitles.render.TextRenderer;
import org.steno.subtitles.render.WebVttRenderer;

/**
 * The transcript formats Steno offers besides JSON, by the subtitle service's renderers: what the
 * pipeline stores at a meeting's end (WebVTT, SRT, text), RTTM for diarization tools, rendered
 * from {@code transcript.json} when the bucket lacks one (downloads, evidence exports, and
 * {@code steno transcribe}).
 */
public final class TranscriptRenderings implements TranscriptFormats {

    public static final TranscriptRenderings INSTANCE = new TranscriptRenderings();

    private TranscriptRenderings() {
    }

    @Override
    public List<String> formats() {
        return List.of("vtt", "srt", "txt", "rttm");
    }

    @Override
    public String render(String format, Transcript t) {
        return switch (format) {
            case "vtt" -> WebVttRenderer.render(t);
            case "srt" -> SrtRenderer.render(t);
            case "txt" -> TextRenderer.render(t);
            // RTTM's file id is the transcript's: the diarization tools key their scores on it.
            case "rttm" -> RttmWriter.render(t, t.getTranscriptId());
            default -> throw new IllegalArgumentException("no transcript format " + format + "; formats: " + formats());
        };
    }
}
