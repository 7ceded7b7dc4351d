package org.steno.pipeline.speech;

import java.util.ArrayList;
import java.util.List;

/** Helpers for the unconfirmed audio a session sends again after a reconnect or a restore. */
final class AudioPieces {

    private AudioPieces() {
    }

    /**
     * The pieces in order, with audio that is contiguous in media time and of the same segment
     * joined into pieces of at most {@code maxMs}; segment ends, gaps and pieces of another
     * segment are kept as they are. What the recogniser receives is the same audio with the
     * same discontinuities, in fewer messages.
     */
    static List<AudioPiece> merged(Iterable<AudioPiece> pieces, long maxMs) {
        long maxBytes = maxMs * 32;
        List<AudioPiece> out = new ArrayList<>();
        List<AudioPiece> run = new ArrayList<>();
        long runBytes = 0;
        for (AudioPiece p : pieces) {
            boolean audio = !p.segmentEnd() && p.pcm() != null && p.pcm().length > 0;
            if (!run.isEmpty()) {
                AudioPiece first = run.get(0);
                AudioPiece last = run.get(run.size() - 1);
                boolean joins = audio && p.segmentStartMs() == first.segmentStartMs()
                        && p.mediaMs() == last.mediaMs() + last.durationMs() && runBytes + p.pcm().length <= maxBytes;
                if (!joins) {
                    out.add(join(run, runBytes));
                    run.clear();
                    runBytes = 0;
                }
            }
            if (audio) {
                run.add(p);
                runBytes += p.pcm().length;
            } else {
                out.add(p);
            }
        }
        if (!run.isEmpty()) {
            out.add(join(run, runBytes));
        }
        return out;
    }

    private static AudioPiece join(List<AudioPiece> run, long bytes) {
        if (run.size() == 1) {
            return run.get(0);
        }
        byte[] pcm = new byte[(int) bytes];
        int at = 0;
        for (AudioPiece p : run) {
            System.arraycopy(p.pcm(), 0, pcm, at, p.pcm().length);
            at += p.pcm().length;
        }
        return new AudioPiece(run.get(0).segmentStartMs(), run.get(0).mediaMs(), pcm, false);
    }
}
