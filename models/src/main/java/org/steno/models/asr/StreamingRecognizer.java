package org.steno.models.asr;

import java.util.ArrayList;
import java.util.List;

/**
 * Streaming recognition of one audio stream on one fresh decoder, with the utterance loop of
 * {@code pocketsphinx_continuous}: after each block, when the decoder's voice-activity flag
 * goes from speech to non-speech the utterance ends, its result is read, and a new one starts.
 * Cutting there (rather than decoding hours as one utterance) keeps word times right and
 * gives the same text as the command-line tool.
 *
 * <p>The decoder's own hangover is 0.5 s of non-speech ({@code -vad_postspeech 50}). A longer
 * end-of-utterance silence is obtained by waiting that much more non-speech before cutting;
 * speech resuming in between continues the same utterance. Shorter values act as 0.5 s.
 *
 * <p>Not thread-safe: one thread at a time (the caller serialises a stream's work).
 */
public final class StreamingRecognizer implements AutoCloseable {

    public static final int SAMPLE_RATE = 16_000;
    /** Non-speech the decoder needs before its voice-activity flag drops ({@code -vad_postspeech 50}). */
    public static final long ENGINE_HANGOVER_SAMPLES = SAMPLE_RATE / 2;
    /** Speech the decoder needs before its flag rises ({@code -vad_startspeech 10}). */
    static final long ENGINE_ONSET_SAMPLES = SAMPLE_RATE / 10;

    private final SphinxDecoder decoder;
    private final boolean interims;
    private final long extraSilenceSamples;
    private short[] buffer = new short[0];

    private long processed;
    private int utteranceIndex;
    private boolean speechInUtterance;
    private long speechStartSample;
    private boolean pendingEnd;
    private long pendingSince;
    private int revision;
    private String lastInterim;
    private boolean finished;

    /**
     * @param endOfUtteranceSilenceMs non-speech that ends an utterance; values under 500 ms act as 500 ms
     */
    public StreamingRecognizer(SphinxDecoder decoder, boolean interimResults, long endOfUtteranceSilenceMs) {
        this.decoder = decoder;
        this.interims = interimResults;
        this.extraSilenceSamples = Math.max(0, endOfUtteranceSilenceMs * SAMPLE_RATE / 1000 - ENGINE_HANGOVER_SAMPLES);
        decoder.startUtterance();
    }

    /** Samples consumed so far. */
    public long processedSamples() {
        return processed;
    }

    /** Decodes little-endian s16 mono bytes (an even count). */
    public List<RecognitionEvent> acceptLinear16(byte[] pcm, int off, int len) {
        if ((len & 1) != 0) {
            throw new IllegalArgumentException("LINEAR16 audio must hold whole 2-byte samples, got " + len + " bytes");
        }
        int n = len / 2;
        if (buffer.length < n) {
            buffer = new short[n];
        }
        for (int i = 0; i < n; i++) {
            buffer[i] = (short) ((pcm[off + 2 * i] & 0xff) | (pcm[off + 2 * i + 1] << 8));
        }
        return accept(buffer, n);
    }

    public List<RecognitionEvent> accept(short[] samples, int n) {
        checkOpen();
        List<RecognitionEvent> out = new ArrayList<>(2);
        if (n == 0) {
            return out;
        }
        decoder.process(samples, n);
        processed += n;
        boolean inSpeech = decoder.inSpeech();
        if (inSpeech) {
            if (!speechInUtterance) {
                speechInUtterance = true;
                speechStartSample = Math.max(0, processed - n - ENGINE_ONSET_SAMPLES);
                out.add(new RecognitionEvent.SpeechStarted(speechStartSample));
            } else if (pendingEnd) {
                pendingEnd = false;
                out.add(new RecognitionEvent.SpeechStarted(Math.max(pendingSince, processed - n - ENGINE_ONSET_SAMPLES)));
            }
        } else if (speechInUtterance && !pendingEnd) {
            pendingEnd = true;
            pendingSince = processed;
            out.add(new RecognitionEvent.SpeechEnded(Math.max(speechStartSample, processed - ENGINE_HANGOVER_SAMPLES)));
        }
        if (pendingEnd && processed - pendingSince >= extraSilenceSamples) {
            endUtterance(out, true);
        } else if (interims && speechInUtterance) {
            interim(out);
        }
        return out;
    }

    /** Finalises the current utterance as if a long silence followed; the stream continues. */
    public List<RecognitionEvent> flush() {
        checkOpen();
        List<RecognitionEvent> out = new ArrayList<>(3);
        if (speechInUtterance) {
            if (!pendingEnd) {
                out.add(new RecognitionEvent.SpeechEnded(processed));
            }
            endUtterance(out, true);
        }
        return out;
    }

    /** End of audio: finalises what is pending. The recognizer accepts nothing afterwards. */
    public List<RecognitionEvent> finish() {
        checkOpen();
        List<RecognitionEvent> out = new ArrayList<>(3);
        if (speechInUtterance && !pendingEnd) {
            out.add(new RecognitionEvent.SpeechEnded(processed));
        }
        endUtterance(out, false);
        finished = true;
        return out;
    }

    private void interim(List<RecognitionEvent> out) {
        String hyp = decoder.hypothesis();
        if (hyp == null || hyp.isBlank() || hyp.equals(lastInterim)) {
            return;
        }
        float stability = stability(lastInterim, hyp);
        lastInterim = hyp;
        out.add(new RecognitionEvent.Interim(utteranceId(), revision++, hyp, stability, speechStartSample, processed));
    }

    /**
     * How likely an interim is to stay: the share of its words already present, in the same
     * place, in the previous interim, capped at 0.9 (only finals are certain). A first guess gets 0.1.
     */
    static float stability(String previous, String current) {
        if (previous == null) {
            return 0.1f;
        }
        String[] a = previous.split(" ");
        String[] b = current.split(" ");
        int same = 0;
        while (same < a.length && same < b.length && a[same].equals(b[same])) {
            same++;
        }
        return Math.max(0.1f, Math.min(0.9f, 0.9f * same / b.length));
    }

    /** Ends the decoder's utterance; emits the final (and end-of-utterance) if anything was said or promised. */
    private void endUtterance(List<RecognitionEvent> out, boolean restart) {
        boolean hadSpeech = speechInUtterance;
        decoder.endUtterance();
        if (hadSpeech) {
            String hyp = decoder.hypothesis();
            if ((hyp != null && !hyp.isBlank()) || revision > 0) {
                String text = hyp == null ? "" : hyp;
                List<RecognizedWord> words = text.isEmpty() ? List.of() : decoder.words();
                // The lattice posterior of a whole utterance is vanishingly small for long
                // ones; the mean word posterior says more about how much to trust it.
                float confidence = (float) words.stream().mapToDouble(RecognizedWord::confidence).average().orElse(0);
                long start = words.isEmpty() ? speechStartSample : words.get(0).startFrame() * (SAMPLE_RATE / SphinxDecoder.FRAMES_PER_SECOND);
                long end = words.isEmpty() ? processed
                        : Math.min(processed, words.get(words.size() - 1).endFrame() * (long) (SAMPLE_RATE / SphinxDecoder.FRAMES_PER_SECOND));
                String id = utteranceId();
                out.add(new RecognitionEvent.Final(id, revision, text, confidence, words, start, Math.max(start, end)));
                out.add(new RecognitionEvent.UtteranceEnded(id, processed));
                utteranceIndex++;
            }
        }
        speechInUtterance = false;
        pendingEnd = false;
        revision = 0;
        lastInterim = null;
        if (restart) {
            decoder.startUtterance();
        }
    }

    private String utteranceId() {
        return "u" + utteranceIndex;
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("recognizer already finished");
        }
    }

    /** Leaves the decoder outside an utterance so it can be freed; does not free it. */
    @Override
    public void close() {
        if (!decoder.isClosed() && decoder.inUtterance()) {
            decoder.endUtterance();
        }
        finished = true;
    }
}
