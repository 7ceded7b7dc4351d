package org.steno.models.transcriber;

import io.grpc.Status;
import io.grpc.StatusException;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.speech.v1.Flush;
import org.steno.proto.speech.v1.RecognitionConfig;
import org.steno.proto.speech.v1.StreamingRecognitionConfig;

/**
 * Checks requests against the Transcriber contract and says, for anything refused, what was
 * wrong and what is accepted (INVALID_ARGUMENT with a sentence a person can act on).
 */
public final class RequestValidator {

    static final int MAX_CHUNK_BYTES = 32 * 1024;
    /** One second of LINEAR16 16 kHz mono: the contract's other hard limit. */
    static final int MAX_CHUNK_SAMPLES = 16_000;
    static final long DEFAULT_EOU_SILENCE_MS = 800;
    static final String SUPPORTED_LANGUAGES = "en, en-US (any en-*)";

    private RequestValidator() {
    }

    public static StatusException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asException();
    }

    /** Validates a streaming config; returns the end-of-utterance silence in ms. */
    static long streamingConfig(StreamingRecognitionConfig c) throws StatusException {
        if (c.getStreamId().isEmpty() || c.getStreamId().length() > 256) {
            throw invalid("stream_id must be 1–256 characters, got " + c.getStreamId().length());
        }
        if (!c.hasConfig()) {
            throw invalid("StreamingRecognitionConfig.config (RecognitionConfig) is required");
        }
        recognitionConfig(c.getConfig(), true);
        return streamIdAndSilence(c);
    }

    static void recognitionConfig(RecognitionConfig c, boolean streaming) throws StatusException {
        String lang = c.getLanguageCode();
        if (lang.isEmpty()) {
            throw invalid("language_code is required; supported: " + SUPPORTED_LANGUAGES);
        }
        if (!isEnglish(lang)) {
            throw invalid("language '" + lang + "' is not supported by " + EmbeddedTranscriber.ENGINE_NAME
                    + "; supported: " + SUPPORTED_LANGUAGES);
        }
        if (c.getAlternativeLanguageCodesCount() > 3) {
            throw invalid("at most 3 alternative_language_codes, got " + c.getAlternativeLanguageCodesCount());
        }
        if (c.getMaxAlternatives() > 10) {
            throw invalid("max_alternatives must be 1–10 (0 means 1), got " + c.getMaxAlternatives());
        }
        if (c.getSpeakerLabels()) {
            throw invalid("speaker_labels is not supported by " + EmbeddedTranscriber.ENGINE_NAME
                    + "; diarize with the Diarizer service");
        }
        if (!c.getModel().isEmpty() && !c.getModel().equals(EmbeddedTranscriber.MODEL_NAME)) {
            throw invalid("model '" + c.getModel() + "' is unknown; available: " + EmbeddedTranscriber.MODEL_NAME);
        }
        if (!c.getCustomOptionsMap().isEmpty()) {
            throw invalid("custom_options key '" + c.getCustomOptionsMap().keySet().iterator().next()
                    + "' is unknown; " + EmbeddedTranscriber.ENGINE_NAME + " accepts no custom options");
        }
        if (c.getSpeechContextsCount() > 50) {
            throw invalid("at most 50 speech_contexts, got " + c.getSpeechContextsCount());
        }
        if (streaming) {
            streamingAudioFormat(c.getAudioFormat());
        }
    }

    /** Streaming audio is LINEAR16 16000 Hz mono, whatever the engine behind the contract. */
    public static void streamingAudioFormat(AudioFormat f) throws StatusException {
        if (f.getEncoding() != AudioEncoding.AUDIO_ENCODING_LINEAR16) {
            throw invalid("audio encoding " + f.getEncoding() + " is not accepted for streaming; "
                    + "only LINEAR16 16000 Hz mono is supported");
        }
        if (f.getSampleRateHz() != 16_000) {
            throw invalid("sample rate " + f.getSampleRateHz() + " Hz is not accepted; only LINEAR16 16000 Hz mono "
                    + "is supported (resample before sending)");
        }
        if (f.getChannels() > 1) {
            throw invalid(f.getChannels() + " channels are not accepted; only LINEAR16 16000 Hz mono is supported");
        }
    }

    /** The streaming-only fields every engine checks alike: stream id and end-of-utterance silence (ms, 0 = default). */
    public static long streamIdAndSilence(StreamingRecognitionConfig c) throws StatusException {
        if (c.getStreamId().isEmpty() || c.getStreamId().length() > 256) {
            throw invalid("stream_id must be 1–256 characters, got " + c.getStreamId().length());
        }
        if (!c.hasConfig()) {
            throw invalid("StreamingRecognitionConfig.config (RecognitionConfig) is required");
        }
        long eou = DEFAULT_EOU_SILENCE_MS;
        if (c.hasEndOfUtteranceSilence()) {
            long ms = Durations.toMillis(c.getEndOfUtteranceSilence());
            if (ms != 0 && (ms < 200 || ms > 5000)) {
                throw invalid("end_of_utterance_silence must be 200 ms–5 s (or unset for 800 ms), got " + ms + " ms");
            }
            if (ms != 0) {
                eou = ms;
            }
        }
        return eou;
    }

    static boolean isEnglish(String lang) {
        String l = lang.toLowerCase(java.util.Locale.ROOT);
        return l.equals("en") || l.startsWith("en-") || l.startsWith("en_");
    }

    /** A LINEAR16 chunk: at most 32 KiB and 1 s, whole samples. */
    public static void audioChunk(int bytes) throws StatusException {
        if (bytes > MAX_CHUNK_BYTES) {
            throw invalid("chunk of " + bytes + " bytes exceeds " + MAX_CHUNK_BYTES + "; send ≤ 100 ms per chunk");
        }
        if (bytes / 2 > MAX_CHUNK_SAMPLES) {
            throw invalid("chunk of " + bytes / 2 + " samples exceeds 1 s (16000 samples); send ≤ 100 ms per chunk");
        }
        if ((bytes & 1) != 0) {
            throw invalid("chunk of " + bytes + " bytes is not a whole number of 16-bit samples");
        }
    }

    public static void flush(Flush f) throws StatusException {
        String id = f.getId();
        if (id.isEmpty() || id.length() > 64 || !id.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) {
            throw invalid("flush id must be 1–64 printable ASCII characters");
        }
    }
}
