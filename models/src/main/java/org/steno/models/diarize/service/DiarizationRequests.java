package org.steno.models.diarize.service;

import com.google.protobuf.Duration;
import org.steno.models.diarize.BuiltinDiarizer;
import org.steno.models.diarize.SpeakerCount;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.speech.v1.DiarizationConfig;
import org.steno.proto.speech.v1.SpeakerCountHint;

/**
 * Checks a {@link DiarizationConfig} against the contract and what the builtin engine serves;
 * every rejection is an {@link InvalidRequest} whose message says what was wrong and what is
 * accepted.
 */
final class DiarizationRequests {

    /** 1 s of 16 kHz mono s16le, under the contract's other hard limit of 32 KiB. */
    static final int MAX_CHUNK_BYTES = 32_000;
    static final double DEFAULT_LATENCY_SECONDS = 2.0;

    /** A request the caller must fix; becomes INVALID_ARGUMENT. */
    static final class InvalidRequest extends Exception {
        InvalidRequest(String message) {
            super(message);
        }
    }

    private DiarizationRequests() {
    }

    static void checkCommon(DiarizationConfig config) throws InvalidRequest {
        String id = config.getStreamId();
        if (id.isEmpty() || id.length() > 256) {
            throw new InvalidRequest("stream_id must be 1–256 characters, got " + id.length());
        }
        if (!config.getModel().isEmpty() && !config.getModel().equals(BuiltinDiarizer.ENGINE_NAME)) {
            throw new InvalidRequest("unknown model '" + config.getModel() + "'; available: '" + BuiltinDiarizer.ENGINE_NAME + "' (or leave it empty)");
        }
        if (config.getCustomOptionsCount() > 32) {
            throw new InvalidRequest("at most 32 custom_options, got " + config.getCustomOptionsCount());
        }
        if (config.getCustomOptionsCount() > 0) {
            throw new InvalidRequest("unknown custom_options " + config.getCustomOptionsMap().keySet() + "; the builtin diarizer takes none");
        }
        if (config.hasMediaStart()) {
            checkDuration("media_start", config.getMediaStart());
        }
    }

    static SpeakerCount speakerCount(DiarizationConfig config) throws InvalidRequest {
        if (!config.hasSpeakerCount()) {
            return SpeakerCount.UNKNOWN;
        }
        SpeakerCountHint hint = config.getSpeakerCount();
        try {
            return new SpeakerCount(hint.getMinSpeakers(), hint.getMaxSpeakers(), hint.getExactSpeakers());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("speaker_count: " + e.getMessage());
        }
    }

    /** Streaming accepts exactly LINEAR16, 16000 Hz, mono. */
    static void checkStreamingFormat(DiarizationConfig config) throws InvalidRequest {
        AudioFormat f = config.getAudioFormat();
        boolean ok = config.hasAudioFormat() && f.getEncoding() == AudioEncoding.AUDIO_ENCODING_LINEAR16
                && f.getSampleRateHz() == 16000 && (f.getChannels() == 0 || f.getChannels() == 1);
        if (!ok) {
            throw new InvalidRequest("audio_format " + describe(config) + " is not supported for streaming; only LINEAR16 16000 Hz mono is");
        }
    }

    static double latencyBudgetSeconds(DiarizationConfig config) throws InvalidRequest {
        if (!config.hasLatencyBudget()) {
            return DEFAULT_LATENCY_SECONDS;
        }
        Duration d = config.getLatencyBudget();
        checkDuration("latency_budget", d);
        double seconds = d.getSeconds() + d.getNanos() / 1e9;
        if (seconds == 0) {
            return DEFAULT_LATENCY_SECONDS;
        }
        if (seconds < 0.5 || seconds > 30) {
            throw new InvalidRequest("latency_budget must be 500 ms–30 s (or 0 for the default 2 s), got " + seconds + " s");
        }
        return seconds;
    }

    static String describe(DiarizationConfig config) {
        if (!config.hasAudioFormat()) {
            return "(unset)";
        }
        AudioFormat f = config.getAudioFormat();
        return f.getEncoding().name().replace("AUDIO_ENCODING_", "") + " " + f.getSampleRateHz() + " Hz " + f.getChannels() + " channel(s)";
    }

    private static void checkDuration(String field, Duration d) throws InvalidRequest {
        if (d.getSeconds() < 0 || d.getNanos() < 0 || d.getNanos() > 999_999_999) {
            throw new InvalidRequest(field + " must be a non-negative duration");
        }
    }

    static Duration duration(double seconds) {
        long nanos = Math.round(seconds * 1e9);
        return Duration.newBuilder().setSeconds(nanos / 1_000_000_000L).setNanos((int) (nanos % 1_000_000_000L)).build();
    }

    static Duration plus(Duration base, double seconds) {
        return duration(base.getSeconds() + base.getNanos() / 1e9 + seconds);
    }
}
