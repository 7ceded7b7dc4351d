package org.steno.pipeline.testing;

import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.steno.proto.speech.v1.EngineInfo;
import org.steno.proto.speech.v1.FlushDone;
import org.steno.proto.speech.v1.RecognitionResults;
import org.steno.proto.speech.v1.RecognitionStarted;
import org.steno.proto.speech.v1.SpeechRecognitionAlternative;
import org.steno.proto.speech.v1.SpeechRecognitionResult;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;
import org.steno.proto.speech.v1.WordInfo;

/**
 * TEST DOUBLE of a speech model with known, fixed behaviour — not a recogniser. Per stream
 * it makes one "word" per 400 ms of audio in the current utterance, named after a hash of
 * that audio (so the same audio always gives the same words), sends an interim result each
 * time a word completes and a final one at a Flush (then FlushDone) or at half-close. Every
 * response leaves exactly {@code delayMs} after the request that caused it, so a benchmark
 * can subtract the "model" and see the pipeline's own cost.
 */
public final class FixedDelayFakeTranscriber extends TranscriberGrpc.TranscriberImplBase {

    static final String[] VOCAB = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
            "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa"};
    static final int WORD_MS = 400;

    private final long delayMs;
    private final ScheduledExecutorService out = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-transcriber-out");
        t.setDaemon(true);
        return t;
    });
    public final AtomicInteger streamsOpened = new AtomicInteger();
    public final AtomicLong audioMs = new AtomicLong();
    public final AtomicInteger flushes = new AtomicInteger();
    /** Speakers (display names) whose streams this "model" fails with INTERNAL right after the config. */
    public final java.util.Set<String> crashesOn = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public FixedDelayFakeTranscriber(long delayMs) {
        this.delayMs = delayMs;
    }

    /** The words this fake produces for an utterance's audio (what a test expects). */
    public static String[] wordsFor(byte[] utterance) {
        return wordsFor(utterance, utterance.length, new ArrayList<>(), true);
    }

    /**
     * The words of {@code buf[0, len)}; {@code done} caches the words of complete 400 ms
     * windows already named (they never change), so a long utterance is not hashed again at
     * each interim. The trailing partial word (≥ 100 ms) counts only when {@code partial}.
     */
    static String[] wordsFor(byte[] buf, int len, List<String> done, boolean partial) {
        int window = WORD_MS * 32;
        for (int i = done.size(); (i + 1) * window <= len; i++) {
            done.add(word(buf, i * window, (i + 1) * window));
        }
        List<String> w = new ArrayList<>(done.subList(0, len / window));
        if (partial && len % window >= 100 * 32) {
            w.add(word(buf, len / window * window, len));
        }
        return w.toArray(new String[0]);
    }

    private static String word(byte[] buf, int from, int to) {
        int h = 1; // Arrays.hashCode of the window, without copying it
        for (int i = from; i < to; i++) {
            h = 31 * h + buf[i];
        }
        return VOCAB[Math.floorMod(h, VOCAB.length)];
    }

    public void shutdown() {
        out.shutdownNow();
    }

    @Override
    public StreamObserver<StreamingRecognizeRequest> streamingRecognize(StreamObserver<StreamingRecognizeResponse> responses) {
        streamsOpened.incrementAndGet();
        return new StreamObserver<>() {
            private String streamId;
            private long offsetMs;
            private long utteranceStartMs;
            private byte[] utterance = new byte[64 * 1024];
            private int utteranceLen;
            private final List<String> named = new ArrayList<>();
            private int utteranceNo;
            private int revision;
            private int wordsShown;
            private boolean failed;

            private void emit(StreamingRecognizeResponse r) {
                out.schedule(() -> {
                    try {
                        responses.onNext(r);
                    } catch (RuntimeException ignored) {
                        // client went away
                    }
                }, delayMs, TimeUnit.MILLISECONDS);
            }

            private StreamingRecognizeResponse.Builder base() {
                return StreamingRecognizeResponse.newBuilder().setStreamId(streamId).setAudioProcessed(Durations.fromMillis(offsetMs));
            }

            private SpeechRecognitionResult result(boolean isFinal) {
                String[] words = wordsFor(utterance, utteranceLen, named, isFinal);
                SpeechRecognitionAlternative.Builder alt = SpeechRecognitionAlternative.newBuilder()
                        .setTranscript(String.join(" ", words)).setConfidence(0.9f);
                for (int i = 0; i < words.length; i++) {
                    long s = utteranceStartMs + (long) i * WORD_MS;
                    long e = Math.min(utteranceStartMs + utteranceLen / 32, s + WORD_MS);
                    alt.addWords(WordInfo.newBuilder().setWord(words[i]).setStartOffset(Durations.fromMillis(s))
                            .setEndOffset(Durations.fromMillis(e)).setConfidence(0.9f));
                }
                return SpeechRecognitionResult.newBuilder().setUtteranceId("u" + utteranceNo).setRevision(revision++)
                        .setIsFinal(isFinal).setStability(isFinal ? 1f : 0.5f).addAlternatives(alt)
                        .setStartOffset(Durations.fromMillis(utteranceStartMs))
                        .setEndOffset(Durations.fromMillis(utteranceStartMs + utteranceLen / 32))
                        .setLanguageCode("en-US").build();
            }

            private void finishUtterance() {
                if (utteranceLen > 0) {
                    emit(base().setResults(RecognitionResults.newBuilder().addResults(result(true))).build());
                }
                utteranceLen = 0;
                named.clear();
                utteranceNo++;
                revision = 0;
                wordsShown = 0;
                utteranceStartMs = offsetMs;
            }

            private void fail(String why) {
                failed = true;
                out.schedule(() -> responses.onError(Status.INVALID_ARGUMENT.withDescription(why).asRuntimeException()),
                        delayMs, TimeUnit.MILLISECONDS);
            }

            @Override
            public void onNext(StreamingRecognizeRequest req) {
                if (failed) {
                    return;
                }
                switch (req.getRequestCase()) {
                    case CONFIG -> {
                        if (streamId != null) {
                            fail("config sent twice; only the first message may be the config");
                            return;
                        }
                        streamId = req.getConfig().getStreamId();
                        if (crashesOn.contains(req.getConfig().getConfig().getSpeaker().getSpeakerDisplayName())) {
                            failed = true;
                            out.schedule(() -> responses.onError(Status.INTERNAL
                                    .withDescription("the model crashed on this stream").asRuntimeException()), delayMs, TimeUnit.MILLISECONDS);
                            return;
                        }
                        emit(base().setStarted(RecognitionStarted.newBuilder()
                                .setEngine(EngineInfo.newBuilder().setName("fixed-delay-fake").setVersion("1"))
                                .setLanguageCode(req.getConfig().getConfig().getLanguageCode())).build());
                    }
                    case AUDIO -> {
                        if (streamId == null) {
                            fail("the first message must be the config");
                            return;
                        }
                        int n = req.getAudio().size();
                        if (utteranceLen + n > utterance.length) {
                            utterance = Arrays.copyOf(utterance, Math.max(utterance.length * 2, utteranceLen + n));
                        }
                        req.getAudio().copyTo(utterance, 0, utteranceLen, n);
                        utteranceLen += n;
                        offsetMs += n / 32;
                        audioMs.addAndGet(n / 32);
                        int words = utteranceLen / (WORD_MS * 32);
                        if (words > wordsShown) {
                            wordsShown = words;
                            emit(base().setResults(RecognitionResults.newBuilder().addResults(result(false))).build());
                        }
                    }
                    case FLUSH -> {
                        flushes.incrementAndGet();
                        finishUtterance();
                        emit(base().setFlushDone(FlushDone.newBuilder().setId(req.getFlush().getId())
                                .setOffset(Durations.fromMillis(offsetMs))).build());
                    }
                    default -> fail("empty request");
                }
            }

            @Override
            public void onError(Throwable t) {
                failed = true;
            }

            @Override
            public void onCompleted() {
                if (failed) {
                    return;
                }
                finishUtterance();
                out.schedule(() -> {
                    try {
                        responses.onCompleted();
                    } catch (RuntimeException ignored) {
                        // client went away
                    }
                }, delayMs, TimeUnit.MILLISECONDS);
            }
        };
    }
}
