package org.steno.archive.evidence;

import java.util.List;
import org.steno.proto.transcript.v1.Transcript;

/**
 * The text formats a transcript is offered in besides its JSON, rendered from the Transcript. The
 * archive does not render them itself: the renderers are the subtitle service's, and the server
 * passes them in. An export generates from {@code transcript.json} each format the bucket lacks,
 * so a transcript stored before a format existed is still exported in every one.
 */
public interface TranscriptFormats {

    /** No formats: only what the bucket holds is exported. */
    TranscriptFormats NONE = new TranscriptFormats() {
        @Override
        public List<String> formats() {
            return List.of();
        }

        @Override
        public String render(String format, Transcript transcript) {
            throw new IllegalArgumentException("no format " + format);
        }
    };

    /** File extensions, e.g. {@code vtt}, {@code srt}, {@code txt}, {@code rttm}; never {@code json}. */
    List<String> formats();

    /** The transcript in {@code format}, one of {@link #formats()}. */
    String render(String format, Transcript transcript);
}
