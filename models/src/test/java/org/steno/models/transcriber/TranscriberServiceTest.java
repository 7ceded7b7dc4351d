package org.steno.models.transcriber;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.steno.models.TestAudio;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.speech.v1.RecognitionConfig;
import org.steno.proto.speech.v1.RecognizeRequest;
import org.steno.proto.speech.v1.RecognizeResponse;
import org.steno.proto.speech.v1.SpeechRecognitionResult;
import org.steno.proto.speech.v1.StreamingRecognitionConfig;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;
import org.steno.proto.speech.v1.VoiceActivityType;
import org.steno.proto.speech.v1.WordInfo;

/** The Transcriber contract through real netty sockets and real pocketsphinx decoders. */
class TranscriberServiceTest {

    static EmbeddedTranscriber engine;
    static Server server;
    static ManagedChannel channel;
    static TranscriberGrpc.TranscriberStub stub;

    @BeforeAll
    static void start() throws Exception {
        engine = new EmbeddedTranscriber(TranscriberSettings.defaults().withMaxDecoders(3).withAcquireTimeoutMs(20_000));
        assertThat(engine.status().ready()).as(engine.status().detail()).isTrue();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new TranscriberService(engine)).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        stub = TranscriberGrpc.newStub(channel);
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        engine.close();
    }

    static List<SpeechRecognitionResult> results(List<StreamingRecognizeResponse> rs) {
        List<SpeechRecognitionResult> out = new ArrayList<>();
        for (StreamingRecognizeResponse r : rs) {
            if (r.hasResults()) {
                out.addAll(r.getResults().getResultsList());
            }
        }
        return out;
    }

    static double seconds(com.google.protobuf.Duration d) {
        return d.getSeconds() + d.getNanos() / 1e9;
    }

    @Test
    void interimResultsThenFinalWithWordTimesInsideTheAudio() throws Exception {
        byte[] pcm = TestAudio.pcm(TestAudio.LONG_SENTENCE);
        RecognizeStream s = RecognizeStream.open(stub);
        s.send(RecognizeStream.config("long-1"));
        s.sendAudio(pcm, 3200);
        s.halfClose();
        assertThat(s.await().getCode()).isEqualTo(Status.Code.OK);

        List<StreamingRecognizeResponse> rs = s.snapshot();
        assertThat(rs.get(0).hasStarted()).isTrue();
        assertThat(rs.get(0).getStarted().getEngine().getName()).isEqualTo(EmbeddedTranscriber.ENGINE_NAME);
        assertThat(rs).allSatisfy(r -> assertThat(r.getStreamId()).isEqualTo("long-1"));
        List<SpeechRecognitionResult> results = results(rs);
        int firstFinal = indexOfFirstFinal(results);
        assertThat(firstFinal).as("interims come before the final").isGreaterThan(0);
        SpeechRecognitionResult interim = results.get(0);
        assertThat(interim.getIsFinal()).isFalse();
        assertThat(interim.getStability()).isBetween(0f, 0.95f);
        SpeechRecognitionResult fin = results.get(firstFinal);
        assertThat(fin.getUtteranceId()).isEqualTo(interim.getUtteranceId());
        assertThat(fin.getRevision()).isGreaterThan(results.get(firstFinal - 1).getRevision());
        assertThat(fin.getStability()).isEqualTo(1f);
        String text = fin.getAlternatives(0).getTranscript();
        // The command-line tool's text for this file (pocketsphinx_continuous -infile).
        assertThat(text).isEqualTo("and mr john guess what and then at leisure to consider how much there might be "
                + "greatly in his power to do how about");
        double duration = pcm.length / 2 / 16000.0;
        List<WordInfo> words = fin.getAlternatives(0).getWordsList();
        assertThat(words.stream().map(WordInfo::getWord).collect(Collectors.joining(" "))).isEqualTo(text);
        double prevEnd = 0;
        for (WordInfo w : words) {
            assertThat(seconds(w.getStartOffset())).isGreaterThanOrEqualTo(prevEnd - 1e-9);
            assertThat(seconds(w.getEndOffset())).isGreaterThan(seconds(w.getStartOffset())).isLessThanOrEqualTo(duration);
            assertThat(w.getConfidence()).isBetween(0f, 1f);
            prevEnd = seconds(w.getEndOffset());
        }
        assertThat(seconds(words.get(2).getStartOffset())).isEqualTo(0.63, org.assertj.core.data.Offset.offset(0.011));
        assertThat(rs.stream().filter(StreamingRecognizeResponse::hasEndOfUtterance).count()).isEqualTo(1);
        assertThat(seconds(rs.get(rs.size() - 1).getAudioProcessed())).isEqualTo(duration, org.assertj.core.data.Offset.offset(0.001));
    }

    static int indexOfFirstFinal(List<SpeechRecognitionResult> rs) {
        for (int i = 0; i < rs.size(); i++) {
            if (rs.get(i).getIsFinal()) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void twoUtterancesGiveVoiceEventsFinalsAndEndOfUtteranceInOrderWithOffsetsAcrossThem() throws Exception {
        byte[] pcm = TestAudio.twoSentences(2.0);
        RecognizeStream s = RecognizeStream.open(stub);
        s.send(RecognizeStream.config("two").toBuilder()
                .setEndOfUtteranceSilence(com.google.protobuf.Duration.newBuilder().setNanos(500_000_000)).build());
        s.sendAudio(pcm, 3200);
        s.halfClose();
        assertThat(s.await().getCode()).isEqualTo(Status.Code.OK);
        List<StreamingRecognizeResponse> rs = s.snapshot();
        List<String> kinds = new ArrayList<>();
        List<SpeechRecognitionResult> finals = new ArrayList<>();
        for (StreamingRecognizeResponse r : rs) {
            switch (r.getResponseCase()) {
                case VOICE_ACTIVITY -> kinds.add(r.getVoiceActivity().getType() == VoiceActivityType.VOICE_ACTIVITY_TYPE_SPEECH_START ? "start" : "end");
                case END_OF_UTTERANCE -> kinds.add("eou:" + r.getEndOfUtterance().getUtteranceId());
                case RESULTS -> r.getResults().getResultsList().stream().filter(SpeechRecognitionResult::getIsFinal).forEach(f -> {
                    kinds.add("final:" + f.getUtteranceId());
                    finals.add(f);
                });
                default -> { }
            }
        }
        assertThat(kinds).containsExactly("start", "end", "final:u0", "eou:u0", "start", "end", "final:u1", "eou:u1");
        assertThat(finals.get(0).getAlternatives(0).getTranscript()).isEqualTo("he was not an illness those young man");
        assertThat(finals.get(1).getAlternatives(0).getTranscript()).isEqualTo("he might even have been made the amiable himself");
        // The second sentence starts after 2.99 s + 2 s of silence: its words are offset from stream start.
        assertThat(seconds(finals.get(1).getAlternatives(0).getWords(0).getStartOffset())).isGreaterThan(4.9).isLessThan(5.4);
        assertThat(seconds(finals.get(1).getEndOffset())).isLessThanOrEqualTo(pcm.length / 2 / 16000.0);
    }

    @Test
    void flushMakesEverythingBeforeItFinalBeforeFlushDone() throws Exception {
        byte[] pcm = TestAudio.pcm(TestAudio.LONG_SENTENCE);
        int half = (pcm.length / 2) & ~1;
        RecognizeStream s = RecognizeStream.open(stub);
        s.send(RecognizeStream.config("flush"));
        s.sendAudio(java.util.Arrays.copyOfRange(pcm, 0, half), 3200);
        s.flush("mark-1");
        s.sendAudio(java.util.Arrays.copyOfRange(pcm, half, pcm.length), 3200);
        s.flush("mark-2");
        s.halfClose();
        assertThat(s.await().getCode()).isEqualTo(Status.Code.OK);
        List<StreamingRecognizeResponse> rs = s.snapshot();
        int done1 = indexOf(rs, "mark-1");
        int done2 = indexOf(rs, "mark-2");
        assertThat(done1).isPositive();
        assertThat(done2).isGreaterThan(done1);
        assertThat(seconds(rs.get(done1).getFlushDone().getOffset())).isEqualTo(half / 2 / 16000.0, org.assertj.core.data.Offset.offset(0.001));
        // Every utterance with a result before the marker has its final before the FlushDone.
        assertFinalBefore(rs, done1);
        assertFinalBefore(rs, done2);
        assertThat(results(rs.subList(done2, rs.size()))).isEmpty();
    }

    static int indexOf(List<StreamingRecognizeResponse> rs, String flushId) {
        for (int i = 0; i < rs.size(); i++) {
            if (rs.get(i).hasFlushDone() && rs.get(i).getFlushDone().getId().equals(flushId)) {
                return i;
            }
        }
        return -1;
    }

    static void assertFinalBefore(List<StreamingRecognizeResponse> rs, int until) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.Set<String> fin = new java.util.HashSet<>();
        for (SpeechRecognitionResult r : results(rs.subList(0, until))) {
            seen.add(r.getUtteranceId());
            if (r.getIsFinal()) {
                fin.add(r.getUtteranceId());
            }
        }
        assertThat(seen).isNotEmpty();
        assertThat(fin).isEqualTo(seen);
    }

    @Test
    void concurrentStreamsEachGetTheirOwnResult() throws Exception {
        List<RecognizeStream> streams = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecognizeStream s = RecognizeStream.open(stub);
            s.send(RecognizeStream.config("c" + i));
            streams.add(s);
            byte[] pcm = TestAudio.pcm(i % 2 == 0 ? TestAudio.SHORT_SENTENCE : TestAudio.LONG_SENTENCE);
            Thread t = new Thread(() -> {
                try {
                    s.sendAudio(pcm, 1600);
                    s.halfClose();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            senders.add(t);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(streams.get(i).await().getCode()).isEqualTo(Status.Code.OK);
            senders.get(i).join();
            String expected = i % 2 == 0 ? "he was not an illness those young man" : "and mr john guess what";
            String id = "c" + i;
            assertThat(streams.get(i).snapshot()).allSatisfy(r -> assertThat(r.getStreamId()).isEqualTo(id));
            List<SpeechRecognitionResult> fin = results(streams.get(i).snapshot()).stream().filter(SpeechRecognitionResult::getIsFinal).toList();
            assertThat(fin).hasSize(1);
            assertThat(fin.get(0).getAlternatives(0).getTranscript()).startsWith(expected);
        }
        awaitInUse(0);
    }

    @Test
    void recognizeWholeWavFile() throws Exception {
        byte[] wav = java.nio.file.Files.readAllBytes(TestAudio.SHORT_SENTENCE);
        RecognizeResponse r = TranscriberGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .recognize(RecognizeRequest.newBuilder().setRequestId("file-1")
                        .setConfig(RecognitionConfig.newBuilder().setLanguageCode("en-US").setWordTimeOffsets(true))
                        .setContent(ByteString.copyFrom(wav)).build());
        assertThat(r.getRequestId()).isEqualTo("file-1");
        assertThat(seconds(r.getAudioDuration())).isEqualTo(2.99, org.assertj.core.data.Offset.offset(0.01));
        assertThat(r.getResultsList()).hasSize(1);
        assertThat(r.getResults(0).getAlternatives(0).getTranscript()).isEqualTo("he was not an illness those young man");
        assertThat(r.getResults(0).getAlternatives(0).getWordsCount()).isEqualTo(8);
    }

    static void awaitInUse(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (engine.pool().inUse() != n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(engine.pool().inUse()).isEqualTo(n);
    }
}
