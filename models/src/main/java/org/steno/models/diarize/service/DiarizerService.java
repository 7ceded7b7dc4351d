package org.steno.models.diarize.service;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.models.diarize.BuiltinDiarizer;
import org.steno.models.diarize.Pcm;
import org.steno.models.diarize.SpeakerCount;
import org.steno.models.diarize.Turn;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.speech.v1.DiarizationConfig;
import org.steno.proto.speech.v1.DiarizeRequest;
import org.steno.proto.speech.v1.DiarizeResponse;
import org.steno.proto.speech.v1.DiarizedSpeaker;
import org.steno.proto.speech.v1.DiarizerGrpc;
import org.steno.proto.speech.v1.EngineInfo;
import org.steno.proto.speech.v1.SpeakerTurn;
import org.steno.proto.speech.v1.StreamingDiarizeRequest;
import org.steno.proto.speech.v1.StreamingDiarizeResponse;

/**
 * The {@code Diarizer} gRPC service backed by the builtin engine. Streaming calls are read one
 * message at a time (manual flow control): the next request is asked for only after the
 * previous one was processed and while the response stream is ready, so a client sending
 * faster than real time is slowed by HTTP/2 flow control instead of filling memory. A
 * cancelled or failed call releases its session at once.
 */
public final class DiarizerService extends DiarizerGrpc.DiarizerImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(DiarizerService.class);

    static final EngineInfo ENGINE = EngineInfo.newBuilder()
            .setName(BuiltinDiarizer.ENGINE_NAME).setVersion(BuiltinDiarizer.ENGINE_VERSION)
            .setModel(BuiltinDiarizer.ENGINE_NAME).build();

    private final BuiltinDiarizer engine;
    private final AtomicInteger activeSessions = new AtomicInteger();

    public DiarizerService() {
        this(new BuiltinDiarizer());
    }

    public DiarizerService(BuiltinDiarizer engine) {
        this.engine = engine;
    }

    /** Streaming sessions holding engine state right now (for health checks and tests). */
    public int activeSessions() {
        return activeSessions.get();
    }

    @Override
    public StreamObserver<StreamingDiarizeRequest> streamingDiarize(StreamObserver<StreamingDiarizeResponse> responses) {
        ServerCallStreamObserver<StreamingDiarizeResponse> call = (ServerCallStreamObserver<StreamingDiarizeResponse>) responses;
        call.disableAutoRequest();
        StreamingSession session = new StreamingSession(engine, call, activeSessions);
        call.setOnCancelHandler(session::release);
        call.setOnReadyHandler(session::onReady);
        call.request(1);
        return session;
    }

    @Override
    public void diarize(DiarizeRequest request, StreamObserver<DiarizeResponse> responses) {
        try {
            DiarizationConfig config = request.getConfig();
            if (!request.hasConfig()) {
                throw new DiarizationRequests.InvalidRequest("config is required");
            }
            DiarizationRequests.checkCommon(config);
            SpeakerCount count = DiarizationRequests.speakerCount(config);
            float[] samples = decode(request);
            List<Turn> turns = engine.diarize(samples, count);
            responses.onNext(toResponse(config, turns, samples.length / 16000.0));
            responses.onCompleted();
        } catch (DiarizationRequests.InvalidRequest e) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } catch (RuntimeException e) {
            LOG.error("Diarize failed for stream {}", request.getConfig().getStreamId(), e);
            responses.onError(Status.INTERNAL.withDescription("diarization failed: " + e).asRuntimeException());
        }
    }

    /** Inline content as 16 kHz mono samples: raw LINEAR16 at 16 kHz, or a WAV file at any rate. */
    private static float[] decode(DiarizeRequest request) throws DiarizationRequests.InvalidRequest {
        if (request.getAudioSourceCase() == DiarizeRequest.AudioSourceCase.URI) {
            throw new DiarizationRequests.InvalidRequest("uri '" + request.getUri() + "' is not served by the builtin diarizer; send the audio inline in content (≤ 4 MiB)");
        }
        byte[] content = request.getContent().toByteArray();
        if (content.length == 0) {
            throw new DiarizationRequests.InvalidRequest("content is empty; send the audio (WAV, or raw LINEAR16 16000 Hz mono)");
        }
        AudioFormat format = request.getConfig().getAudioFormat();
        AudioEncoding encoding = format.getEncoding();
        boolean riff = content.length >= 12 && content[0] == 'R' && content[1] == 'I' && content[2] == 'F' && content[3] == 'F';
        if (encoding == AudioEncoding.AUDIO_ENCODING_WAV || (encoding == AudioEncoding.AUDIO_ENCODING_UNSPECIFIED && riff)) {
            try {
                Pcm.Audio audio = Pcm.parseWav(content);
                if (audio.sampleRate() < 8000 || audio.sampleRate() > 48000) {
                    throw new DiarizationRequests.InvalidRequest("WAV sample rate " + audio.sampleRate() + " Hz is outside 8000–48000 Hz");
                }
                return Pcm.resample(audio.samples(), audio.sampleRate(), 16000);
            } catch (IllegalArgumentException e) {
                throw new DiarizationRequests.InvalidRequest("content is not a readable WAV file: " + e.getMessage());
            }
        }
        if (encoding == AudioEncoding.AUDIO_ENCODING_LINEAR16) {
            if (format.getSampleRateHz() != 16000 || format.getChannels() > 1) {
                throw new DiarizationRequests.InvalidRequest("LINEAR16 at " + format.getSampleRateHz() + " Hz, " + format.getChannels()
                        + " channel(s) is not supported; send 16000 Hz mono, or a WAV file");
            }
            if (content.length % 2 != 0) {
                throw new DiarizationRequests.InvalidRequest("LINEAR16 content of " + content.length + " bytes is not a whole number of 16-bit samples");
            }
            return Pcm.fromS16le(content, 0, content.length);
        }
        throw new DiarizationRequests.InvalidRequest("audio_format " + DiarizationRequests.describe(request.getConfig())
                + " is not supported by the builtin diarizer; send WAV (or encoding UNSPECIFIED with a WAV file) or LINEAR16 16000 Hz mono");
    }

    static DiarizeResponse toResponse(DiarizationConfig config, List<Turn> turns, double seconds) {
        DiarizeResponse.Builder b = DiarizeResponse.newBuilder()
                .setStreamId(config.getStreamId())
                .setAudioDuration(DiarizationRequests.duration(seconds))
                .setEngine(ENGINE);
        Map<Integer, double[]> totals = new LinkedHashMap<>();
        int n = 0;
        for (Turn t : turns) {
            b.addTurns(turn(config, "t" + n++, 0, true, false, t.speaker(), t.start(), t.end(), t.confidence()));
            double[] total = totals.computeIfAbsent(t.speaker(), k -> new double[2]);
            total[0] += t.duration();
            total[1]++;
        }
        totals.forEach((speaker, total) -> b.addSpeakers(DiarizedSpeaker.newBuilder()
                .setSpeakerLabel(label(speaker))
                .setTotalSpeech(DiarizationRequests.duration(total[0]))
                .setTurnCount((int) total[1])));
        return b.build();
    }

    static SpeakerTurn turn(DiarizationConfig config, String id, int revision, boolean isFinal, boolean withdrawn,
                            int speaker, double start, double end, double confidence) {
        SpeakerTurn.Builder t = SpeakerTurn.newBuilder()
                .setTurnId(id).setRevision(revision).setIsFinal(isFinal).setWithdrawn(withdrawn)
                .setSpeakerLabel(label(speaker)).setConfidence((float) confidence)
                .setStartOffset(DiarizationRequests.duration(start))
                .setEndOffset(DiarizationRequests.duration(end));
        if (config.hasMediaStart()) {
            t.setMediaStart(DiarizationRequests.plus(config.getMediaStart(), start));
            t.setMediaEnd(DiarizationRequests.plus(config.getMediaStart(), end));
        }
        return t.build();
    }

    static String label(int speaker) {
        return "spk_" + speaker;
    }
}
