package org.steno.models.kyutai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.steno.models.kyutai.KyutaiTestKit.await;
import static org.steno.models.kyutai.KyutaiTestKit.finals;
import static org.steno.models.kyutai.KyutaiTestKit.hasFlushDone;
import static org.steno.models.kyutai.KyutaiTestKit.ms;

import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.steno.models.transcriber.RecognizeStream;
import org.steno.proto.speech.v1.SpeechRecognitionResult;
import org.steno.proto.speech.v1.StreamingRecognitionConfig;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.WordInfo;

/** The adapter against the stand-in moshi-server over real sockets: words, times, flushes, pauses. */
class KyutaiTranscriberTest {

    static final String TEXT = "the quick brown fox jumps over the lazy dog";
    static final Duration WAIT = Duration.ofSeconds(20);

    private static StreamingRecognitionConfig config(String id, long mediaStartMs) {
        StreamingRecognitionConfig c = RecognizeStream.config(id);
        return c.toBuilder().setConfig(c.getConfig().toBuilder()
                .setMediaStart(com.google.protobuf.Duration.newBuilder().setSeconds(mediaStartMs / 1000)
                        .setNanos((int) (mediaStartMs % 1000) * 1_000_000))).build();
    }

    static void assertOk(Status st) {
        assertThat(st.getCode()).as(st.toString()).isEqualTo(Status.Code.OK);
    }

    @Test
    void wordsComeAsInterimsThenOneFinalWithWordTimesAtTheFlush() throws Exception {
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT))) {
            List<Long> starts = new ArrayList<>();
            byte[] audio = KyutaiTestKit.words(9, 500, starts);
            RecognizeStream s = RecognizeStream.open(kit.stub);
            s.send(config("m1/alice/1", 60_000));
            s.sendAudio(audio, 3200);
            s.flush("f1");
            await("FlushDone f1", WAIT, () -> hasFlushDone(s.snapshot(), "f1"));
            s.halfClose();
            assertOk(s.await());

            List<StreamingRecognizeResponse> rs = s.snapshot();
            assertThat(rs.get(0).hasStarted()).isTrue();
            assertThat(rs.get(0).getStarted().getEngine().getName()).isEqualTo("kyutai-stt");
            assertThat(rs).allMatch(r -> r.getStreamId().equals("m1/alice/1"));

            // The adapter's text is the stand-in's own text: WER 0 through the plumbing.
            List<StreamingRecognizeResponse> fins = finals(rs);
            assertThat(fins).hasSize(1);
            SpeechRecognitionResult fin = fins.get(0).getResults().getResults(0);
            assertThat(fin.getAlternatives(0).getTranscript()).isEqualTo(TEXT).isEqualTo(String.join(" ", kit.standIn.saidWords()));

            // Interims grow word by word, low stability, same utterance, increasing revisions.
            List<SpeechRecognitionResult> interims = rs.stream().filter(r -> r.hasResults() && !r.getResults().getResults(0).getIsFinal())
                    .map(r -> r.getResults().getResults(0)).toList();
            assertThat(interims).hasSize(9);
            for (int i = 0; i < interims.size(); i++) {
                assertThat(interims.get(i).getRevision()).isEqualTo(i);
                assertThat(interims.get(i).getUtteranceId()).isEqualTo(fin.getUtteranceId());
                assertThat(interims.get(i).getStability()).isLessThan(0.5f);
                assertThat(interims.get(i).getAlternatives(0).getTranscript().split(" ")).hasSize(i + 1);
            }
            assertThat(fin.getRevision()).isEqualTo(9);

            // Word times are stream offsets with the inserted silence taken out (80 ms frames: ±100 ms).
            List<WordInfo> words = fin.getAlternatives(0).getWordsList();
            assertThat(words).hasSize(9);
            for (int i = 0; i < 9; i++) {
                WordInfo w = words.get(i);
                assertThat(ms(w.getStartOffset())).as("start of word %d", i).isBetween(starts.get(i) - 100, starts.get(i) + 100);
                assertThat(ms(w.getEndOffset())).as("end of word %d", i)
                        .isBetween(starts.get(i) + KyutaiTestKit.WORD_MS - 100, starts.get(i) + KyutaiTestKit.WORD_MS + 100);
                assertThat(ms(w.getMediaStart())).isEqualTo(60_000 + ms(w.getStartOffset()));
            }
            // An end of utterance after the final, then the flush acknowledgement at the end of the audio.
            int finAt = rs.indexOf(fins.get(0));
            assertThat(rs.get(finAt + 1).hasEndOfUtterance()).isTrue();
            StreamingRecognizeResponse done = rs.stream().filter(StreamingRecognizeResponse::hasFlushDone).findFirst().orElseThrow();
            assertThat(rs.indexOf(done)).isGreaterThan(finAt);
            assertThat(ms(done.getFlushDone().getOffset())).isEqualTo(audio.length / 32);
            assertThat(ms(done.getFlushDone().getMediaTime())).isEqualTo(60_000 + audio.length / 32);

            // The server got 24 kHz: 1.5 samples per sample sent, plus the silence the adapter inserted.
            long got = kit.standIn.connections().get(0).receivedSamples();
            assertThat(got).isGreaterThanOrEqualTo(audio.length / 2 * 3 / 2 + 24_000);
        }
    }

    @Test
    void aPauseHeardByThePauseHeadEndsTheUtteranceWithoutAFlush() throws Exception {
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT))) {
            byte[] audio = KyutaiTestKit.concat(KyutaiTestKit.words(4, 200, new ArrayList<>()), KyutaiTestKit.silence(2_600),
                    KyutaiTestKit.words(5, 0, new ArrayList<>()), KyutaiTestKit.silence(2_600));
            RecognizeStream s = RecognizeStream.open(kit.stub);
            s.send(RecognizeStream.config("pause"));
            s.sendAudio(audio, 3200);
            await("two finals", WAIT, () -> finals(s.snapshot()).size() == 2);
            List<StreamingRecognizeResponse> fins = finals(s.snapshot());
            assertThat(fins.get(0).getResults().getResults(0).getAlternatives(0).getTranscript()).isEqualTo("the quick brown fox");
            assertThat(fins.get(1).getResults().getResults(0).getAlternatives(0).getTranscript()).isEqualTo("jumps over the lazy dog");
            assertThat(fins.get(0).getResults().getResults(0).getUtteranceId()).isNotEqualTo(fins.get(1).getResults().getResults(0).getUtteranceId());
            assertThat(s.snapshot()).noneMatch(StreamingRecognizeResponse::hasFlushDone);
            s.halfClose();
            assertOk(s.await());
        }
    }

    @Test
    void aModelWithoutPauseHeadsAndA256sDelayFinalisesAtTheFlush() throws Exception {
        // stt-2.6b-en: 32 tokens of delay, no extra heads, so no Step messages at all.
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT).withDelay(32, false))) {
            byte[] audio = KyutaiTestKit.concat(KyutaiTestKit.words(9, 300, new ArrayList<>()), KyutaiTestKit.silence(3_000));
            RecognizeStream s = RecognizeStream.open(kit.stub);
            s.send(RecognizeStream.config("big"));
            s.sendAudio(audio, 3200);
            // Words arrive as interims; without pause heads nothing is final before the flush.
            await("nine interims", WAIT, () -> s.snapshot().stream().filter(r -> r.hasResults()).count() == 9);
            assertThat(finals(s.snapshot())).isEmpty();
            long t0 = System.nanoTime();
            s.flush("end");
            await("FlushDone", WAIT, () -> hasFlushDone(s.snapshot(), "end"));
            long flushMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(finals(s.snapshot())).hasSize(1);
            assertThat(finals(s.snapshot()).get(0).getResults().getResults(0).getAlternatives(0).getTranscript()).isEqualTo(TEXT);
            // 32 frames of silence at 4× real time: about 0.64 s, far under the pipeline's 30 s flush timeout.
            assertThat(flushMs).isLessThan(5_000);
            System.out.println("flush with a 2.56 s model delay took " + flushMs + " ms");
            s.halfClose();
            assertOk(s.await());
        }
    }

    @Test
    void severalFlushesKeepOffsetsCountingAcrossInsertedSilence() throws Exception {
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT))) {
            List<Long> a = new ArrayList<>();
            byte[] first = KyutaiTestKit.words(3, 200, a);
            List<Long> b = new ArrayList<>();
            byte[] second = KyutaiTestKit.words(3, 200, b);
            RecognizeStream s = RecognizeStream.open(kit.stub);
            s.send(RecognizeStream.config("two"));
            s.sendAudio(first, 3200);
            s.flush("a");
            await("FlushDone a", WAIT, () -> hasFlushDone(s.snapshot(), "a"));
            s.sendAudio(second, 3200);
            s.flush("b");
            await("FlushDone b", WAIT, () -> hasFlushDone(s.snapshot(), "b"));
            List<StreamingRecognizeResponse> fins = finals(s.snapshot());
            assertThat(fins).hasSize(2);
            assertThat(fins.get(1).getResults().getResults(0).getAlternatives(0).getTranscript()).isEqualTo("fox jumps over");
            long base = first.length / 32;
            List<WordInfo> w = fins.get(1).getResults().getResults(0).getAlternatives(0).getWordsList();
            for (int i = 0; i < 3; i++) {
                // The silence sent after marker "a" is not in the stream: offsets go on from the first audio's end.
                assertThat(ms(w.get(i).getStartOffset())).isBetween(base + b.get(i) - 100, base + b.get(i) + 100);
            }
            s.halfClose();
            assertOk(s.await());
        }
    }
}
