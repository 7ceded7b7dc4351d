package org.steno.pipeline.testing;

import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.steno.proto.speech.v1.DiarizationStarted;
import org.steno.proto.speech.v1.DiarizerGrpc;
import org.steno.proto.speech.v1.FlushDone;
import org.steno.proto.speech.v1.SpeakerTurn;
import org.steno.proto.speech.v1.SpeakerTurnUpdate;
import org.steno.proto.speech.v1.StreamingDiarizeRequest;
import org.steno.proto.speech.v1.StreamingDiarizeResponse;

/**
 * A Diarizer whose "voices" are loudness: a chunk with a mean absolute sample above 5000 is
 * spk_1, else spk_0. Like a real streaming diarizer it sends the open turn as provisional
 * (revised as it grows), finalises turns in order (when the voice changes, on a flush, at the
 * end of audio) and answers a flush with FlushDone. Times are stream offsets.
 */
public final class LoudnessFakeDiarizer extends DiarizerGrpc.DiarizerImplBase {

    public final AtomicInteger streamsOpened = new AtomicInteger();
    /** When set, the next stream is refused with UNAVAILABLE right after its config. */
    public final AtomicBoolean failNextStream = new AtomicBoolean();
    /** While set, a stream stops reading audio (its first audio message blocks until released). */
    public final java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
    public final AtomicBoolean stopReading = new AtomicBoolean();
    /** When set, a half-close is never answered (the stream stays open). */
    public final AtomicBoolean ignoreHalfClose = new AtomicBoolean();

    @Override
    public StreamObserver<StreamingDiarizeRequest> streamingDiarize(StreamObserver<StreamingDiarizeResponse> out) {
        streamsOpened.incrementAndGet();
        return new StreamObserver<>() {
            long offsetMs;
            String label;
            long turnStart;
            int turnNumber;
            int revision;

            @Override
            public void onNext(StreamingDiarizeRequest r) {
                switch (r.getRequestCase()) {
                    case CONFIG -> {
                        if (failNextStream.getAndSet(false)) {
                            out.onError(Status.UNAVAILABLE.withDescription("diarizer restarting").asRuntimeException());
                            return;
                        }
                        out.onNext(StreamingDiarizeResponse.newBuilder().setStreamId(r.getConfig().getStreamId())
                                .setStarted(DiarizationStarted.getDefaultInstance()).build());
                    }
                    case AUDIO -> {
                        if (stopReading.get()) {
                            try {
                                stuck.await(60, java.util.concurrent.TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return;
                        }
                        byte[] pcm = r.getAudio().toByteArray();
                        long sum = 0;
                        for (int i = 0; i + 1 < pcm.length; i += 2) {
                            sum += Math.abs((short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8)));
                        }
                        String l = sum / Math.max(1, pcm.length / 2) > 5000 ? "spk_1" : "spk_0";
                        SpeakerTurnUpdate.Builder u = SpeakerTurnUpdate.newBuilder();
                        if (label != null && !label.equals(l)) {
                            u.addTurns(turn(true));
                            turnNumber++;
                            revision = 0;
                            turnStart = offsetMs;
                        } else if (label == null) {
                            turnStart = offsetMs;
                        }
                        label = l;
                        offsetMs += pcm.length / 32;
                        u.addTurns(turn(false));
                        revision++;
                        out.onNext(StreamingDiarizeResponse.newBuilder().setTurns(u).build());
                    }
                    case FLUSH -> {
                        finaliseOpenTurn();
                        out.onNext(StreamingDiarizeResponse.newBuilder()
                                .setFlushDone(FlushDone.newBuilder().setId(r.getFlush().getId())).build());
                    }
                    default -> {
                    }
                }
            }

            private void finaliseOpenTurn() {
                if (label != null) {
                    out.onNext(StreamingDiarizeResponse.newBuilder().setTurns(SpeakerTurnUpdate.newBuilder().addTurns(turn(true))).build());
                    label = null;
                    turnNumber++;
                    revision = 0;
                }
            }

            private SpeakerTurn turn(boolean isFinal) {
                return SpeakerTurn.newBuilder().setTurnId("t" + turnNumber).setRevision(revision).setIsFinal(isFinal)
                        .setSpeakerLabel(label).setStartOffset(Durations.fromMillis(turnStart))
                        .setEndOffset(Durations.fromMillis(offsetMs)).build();
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                if (ignoreHalfClose.get()) {
                    return;
                }
                finaliseOpenTurn();
                out.onCompleted();
            }
        };
    }
}
