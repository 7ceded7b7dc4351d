package org.steno.server.roles;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.steno.models.whisperx.DiarizedTranscription;
import org.steno.models.whisperx.WhisperXClient;
import org.steno.models.whisperx.WhisperXException;
import org.steno.pipeline.batch.TrackTranscriber;

/** WhisperX's answer as the pass's utterances: seconds to ms, its 400 an unreadable track, the rest unavailable. */
public final class WhisperXTracks implements TrackTranscriber {
    private final WhisperXClient client;

    public WhisperXTracks(WhisperXClient client) {
        this.client = client;
    }

    @Override
    public String engine() {
        return "whisperx";
    }

    @Override
    public String model() {
        return client.settings().model();
    }

    @Override
    public List<Utterance> transcribe(byte[] file, String fileName, String language)
            throws UnreadableTrack, IOException, InterruptedException {
        DiarizedTranscription t;
        try {
            t = client.transcribe(file, fileName, "audio/ogg", language);
        } catch (WhisperXException e) {
            if (e.kind() == WhisperXException.Kind.BAD_FILE) {
                throw new UnreadableTrack(e.getMessage());
            }
            throw new IOException("WhisperX at " + client.settings().endpoint() + ": " + e.getMessage(), e);
        }
        List<Utterance> out = new ArrayList<>();
        for (DiarizedTranscription.Segment s : t.segments()) {
            List<TimedWord> words = new ArrayList<>();
            for (DiarizedTranscription.Word w : s.words()) {
                if (w.word().isEmpty()) {
                    continue;
                }
                boolean timed = w.start() != null && w.end() != null;
                words.add(new TimedWord(w.word(), timed ? Math.round(w.start() * 1000) : -1, timed ? Math.round(w.end() * 1000) : -1,
                        w.score() == null ? 0f : w.score().floatValue()));
            }
            out.add(new Utterance(Math.round(s.start() * 1000), Math.round(s.end() * 1000), s.text(), s.speaker(), words));
        }
        return out;
    }
}
