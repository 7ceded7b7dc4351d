package org.steno.models.kyutai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.steno.models.kyutai.KyutaiTestKit.await;
import static org.steno.models.kyutai.KyutaiTestKit.finals;
import static org.steno.models.kyutai.KyutaiTestKit.hasFlushDone;

import io.grpc.Status;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.steno.models.kyutai.standin.MoshiStandIn;
import org.steno.models.transcriber.RecognizeStream;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;

/**
 * What goes wrong on the server side, each time a status a person can act on, and the adapter keeps
 * serving the next stream: full batch, bad key, no server, bad frames, unknown types, Error messages,
 * a server that drops the connection mid-utterance or while idle.
 */
class KyutaiFailuresTest {

    static final String TEXT = "one two three four five six seven eight nine";
    static final Duration WAIT = Duration.ofSeconds(20);

    private static byte[] threeWords() {
        return KyutaiTestKit.words(3, 200, new ArrayList<>());
    }

    /** A stream that sends three words and flushes; returns it once FlushDone came or it closed. */
    private static RecognizeStream talk(KyutaiTestKit kit, String id) throws Exception {
        RecognizeStream s = RecognizeStream.open(kit.stub);
        s.send(RecognizeStream.config(id));
        s.sendAudio(threeWords(), 3200);
        s.flush("f");
        await("FlushDone or close", WAIT, () -> hasFlushDone(s.snapshot(), "f") || s.closed.isDone());
        return s;
    }

    private static void assertServes(KyutaiTestKit kit) throws Exception {
        RecognizeStream s = talk(kit, "after");
        assertThat(s.closed.isDone()).as("stream failed: %s", s.closed.getNow(null)).isFalse();
        assertThat(finals(s.snapshot())).hasSize(1);
        s.halfClose();
        assertThat(s.await().getCode()).isEqualTo(Status.Code.OK);
    }

    @Test
    void aFullBatchIsResourceExhaustedAndAFreedSlotServesTheNextStream() throws Exception {
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT).withBatchSize(1))) {
            RecognizeStream first = talk(kit, "first");
            assertThat(hasFlushDone(first.snapshot(), "f")).isTrue();
            RecognizeStream second = RecognizeStream.open(kit.stub);
            second.send(RecognizeStream.config("second"));
            Status st = second.await();
            assertThat(st.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(st.getDescription()).contains(kit.standIn.url().toString()).contains("no free channel").contains("retry with backoff");
            assertThat(second.snapshot()).noneMatch(StreamingRecognizeResponse::hasStarted);
            first.halfClose();
            assertThat(first.await().getCode()).isEqualTo(Status.Code.OK);
            await("slot freed", WAIT, () -> kit.standIn.slotsInUse() == 0);
            assertServes(kit);
        }
    }

    @Test
    void aKeyTheServerRefusesIsUnavailableNamingTheSettingButNeverTheKey() throws Exception {
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT),
                s -> KyutaiSettings.of(s.url(), "s3cret-key-123").withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10)))) {
            RecognizeStream s = RecognizeStream.open(kit.stub);
            s.send(RecognizeStream.config("k"));
            Status st = s.await();
            assertThat(st.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(st.getDescription()).contains("HTTP 401").contains("models.kyutai.api-key").doesNotContain("s3cret");
            assertThat(kit.engine.settings().toString()).doesNotContain("s3cret");
            assertThat(kit.standIn.unauthorized()).isEqualTo(1);
        }
    }

    @Test
    void noServerIsUnavailableAtOnce() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT),
                s -> KyutaiTestKit.settings(URI.create("ws://127.0.0.1:" + port)))) {
            long t0 = System.nanoTime();
            RecognizeStream s = RecognizeStream.open(kit.stub);
            s.send(RecognizeStream.config("down"));
            Status st = s.await();
            assertThat(st.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(st.getDescription()).isEqualTo("Kyutai server ws://127.0.0.1:" + port
                    + "/api/asr-streaming is unreachable (connection refused); retry with backoff");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_000);
            assertThat(kit.engine.readiness().ready()).isFalse();
            assertThat(kit.engine.readiness().detail()).contains("unreachable (connection refused)");
        }
    }

    @Test
    void readinessAsksBuildInfo() throws Exception {
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT))) {
            assertThat(kit.engine.readiness().ready()).isTrue();
            assertThat(kit.standIn.slotsInUse()).isZero(); // the probe takes no batch slot
        }
    }

    /** Opens a stream, waits until its words began, then lets {@code hurt} act on the server. */
    private static Status hurtMidStream(KyutaiTestKit kit, Runnable hurt) throws Exception {
        RecognizeStream s = RecognizeStream.open(kit.stub);
        s.send(RecognizeStream.config("hurt"));
        s.sendAudio(threeWords(), 3200);
        await("a word", WAIT, () -> s.snapshot().stream().anyMatch(StreamingRecognizeResponse::hasResults));
        hurt.run();
        s.sendAudio(threeWords(), 3200);
        s.flush("f");
        return s.await();
    }

    @Test
    void aFrameThatIsNotMessagePackEndsTheStreamWithAClearStatus() throws Exception {
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT))) {
            Status st = hurtMidStream(kit, () -> kit.standIn.sendRawToAll(new byte[] {(byte) 0x85, (byte) 0xa4, 't'}));
            assertThat(st.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(st.getDescription()).contains("sent a frame that is not a moshi-server message").contains("not valid MessagePack");
            assertServes(kit);
        }
    }

    @Test
    void aMapWithoutItsFieldsOrNotAMapEndsTheStream() throws Exception {
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT))) {
            Status st = hurtMidStream(kit, () -> kit.standIn.sendRawToAll(new byte[] {(byte) 0x81, (byte) 0xa4, 't', 'y', 'p', 'e',
                    (byte) 0xa4, 'W', 'o', 'r', 'd'}));
            assertThat(st.getDescription()).contains("'Word' message without 'text'");
            st = hurtMidStream(kit, () -> kit.standIn.sendRawToAll(new byte[] {(byte) 0x93, 1, 2, 3}));
            assertThat(st.getDescription()).contains("is a MessagePack array, not a map");
            assertServes(kit);
        }
    }

    @Test
    void anUnknownMessageTypeIsIgnoredAndTheStreamGoesOn() throws Exception {
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT))) {
            RecognizeStream s = RecognizeStream.open(kit.stub);
            s.send(RecognizeStream.config("unknown"));
            s.sendAudio(threeWords(), 3200);
            await("a word", WAIT, () -> s.snapshot().stream().anyMatch(StreamingRecognizeResponse::hasResults));
            // {"type":"Telemetry","gpu":1}: a newer server's message.
            kit.standIn.sendRawToAll(new byte[] {(byte) 0x82, (byte) 0xa4, 't', 'y', 'p', 'e', (byte) 0xa9, 'T', 'e', 'l', 'e', 'm', 'e', 't', 'r', 'y',
                    (byte) 0xa3, 'g', 'p', 'u', 1});
            s.flush("f");
            await("FlushDone", WAIT, () -> hasFlushDone(s.snapshot(), "f") || s.closed.isDone());
            assertThat(finals(s.snapshot())).hasSize(1);
            s.halfClose();
            assertThat(s.await().getCode()).isEqualTo(Status.Code.OK);
        }
    }

    @Test
    void anErrorMessageEndsTheStreamWithTheServersWords() throws Exception {
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT))) {
            // {"type":"Error","message":"model crashed"}
            byte[] err = org.steno.models.kyutai.standin.MoshiStandInFrames.error("model crashed");
            Status st = hurtMidStream(kit, () -> kit.standIn.sendRawToAll(err));
            assertThat(st.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(st.getDescription()).endsWith("reported an error: model crashed");
            assertServes(kit);
        }
    }

    @Test
    void aServerThatDropsTheConnectionMidUtteranceFailsTheStreamSoTheAudioIsSentAgain() throws Exception {
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT))) {
            Status st = hurtMidStream(kit, kit.standIn::dropAll);
            assertThat(st.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(st.getDescription()).contains("while audio was still being recognised");
            assertServes(kit);
        }
    }

    @Test
    void anIdleConnectionTheServerDropsIsReopenedAtTheNextAudio() throws Exception {
        MoshiStandIn.Options o = KyutaiTestKit.options(TEXT).withTimeouts(Duration.ofMillis(300), Duration.ofMillis(1500));
        try (KyutaiTestKit kit = new KyutaiTestKit(o)) {
            byte[] first = threeWords();
            List<Long> starts = new ArrayList<>();
            byte[] second = KyutaiTestKit.words(3, 200, starts);
            RecognizeStream s = RecognizeStream.open(kit.stub);
            s.send(RecognizeStream.config("idle"));
            s.sendAudio(first, 3200);
            s.flush("a");
            await("FlushDone a", WAIT, () -> hasFlushDone(s.snapshot(), "a"));
            // Nothing to send for a while: the server drops us after its long timeout.
            await("the server's idle drop", WAIT, () -> kit.standIn.dropped() == 1);
            s.sendAudio(second, 3200);
            s.flush("b");
            await("FlushDone b", WAIT, () -> hasFlushDone(s.snapshot(), "b") || s.closed.isDone());
            assertThat(s.closed.isDone()).as("%s", s.closed.getNow(null)).isFalse();
            List<StreamingRecognizeResponse> fins = finals(s.snapshot());
            assertThat(fins).hasSize(2);
            assertThat(kit.standIn.connections()).hasSize(2);
            // The new connection restarts the server's clock and text; the stream's offsets go on.
            assertThat(fins.get(1).getResults().getResults(0).getAlternatives(0).getTranscript()).isEqualTo("one two three");
            long startMs = KyutaiTestKit.ms(fins.get(1).getResults().getResults(0).getAlternatives(0).getWords(0).getStartOffset());
            assertThat(startMs).isBetween(first.length / 32 + starts.get(0) - 100, first.length / 32 + starts.get(0) + 100);
            s.halfClose();
            assertThat(s.await().getCode()).isEqualTo(Status.Code.OK);
        }
    }

    @Test
    void aConnectionLostBeforeAnyWordOfTheNewAudioSendsThatAudioAgainOnANewConnection() throws Exception {
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT))) {
            byte[] first = threeWords();
            List<Long> starts = new ArrayList<>();
            byte[] second = KyutaiTestKit.words(3, 200, starts);
            // The cut falls inside the second audio's first word: the server has heard part of it and said nothing.
            int cut = (200 + 300) * 32;
            RecognizeStream s = RecognizeStream.open(kit.stub);
            s.send(RecognizeStream.config("restart"));
            s.sendAudio(first, 3200);
            s.flush("a");
            await("FlushDone a", WAIT, () -> hasFlushDone(s.snapshot(), "a"));
            long heard = kit.standIn.connections().get(0).receivedSamples();
            int said = kit.standIn.saidWords().size();
            s.sendAudio(java.util.Arrays.copyOfRange(second, 0, cut), 3200);
            await("the start of the second audio at the server", WAIT,
                    () -> kit.standIn.connections().get(0).receivedSamples() >= heard + 11_520);
            assertThat(kit.standIn.saidWords()).as("no word yet for the second audio").hasSize(said);
            kit.standIn.dropAll(); // a restarting server
            s.sendAudio(java.util.Arrays.copyOfRange(second, cut, second.length), 3200);
            s.flush("b");
            await("FlushDone b", WAIT, () -> hasFlushDone(s.snapshot(), "b") || s.closed.isDone());
            assertThat(s.closed.isDone()).as("%s", s.closed.getNow(null)).isFalse();
            assertThat(kit.standIn.connections()).hasSize(2);
            assertThat(kit.standIn.connections().get(1).receivedSamples()).as("the whole second audio went again")
                    .isGreaterThanOrEqualTo(second.length / 2 * 3 / 2 - 1920);
            List<StreamingRecognizeResponse> fins = finals(s.snapshot());
            assertThat(fins).hasSize(2);
            assertThat(fins.get(1).getResults().getResults(0).getAlternatives(0).getTranscript()).isEqualTo("one two three");
            long startMs = KyutaiTestKit.ms(fins.get(1).getResults().getResults(0).getAlternatives(0).getWords(0).getStartOffset());
            assertThat(startMs).as("offsets go on from the first audio, the replay not counted twice")
                    .isBetween(first.length / 32 + starts.get(0) - 100, first.length / 32 + starts.get(0) + 100);
            long doneMs = KyutaiTestKit.ms(s.snapshot().stream().filter(r -> r.hasFlushDone() && r.getFlushDone().getId().equals("b"))
                    .findFirst().orElseThrow().getFlushDone().getOffset());
            assertThat(doneMs).isEqualTo((first.length + second.length) / 32);
            s.halfClose();
            assertThat(s.await().getCode()).isEqualTo(Status.Code.OK);
        }
    }

    @Test
    void badRequestsAreRefusedBeforeAnyConnection() throws Exception {
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT))) {
            RecognizeStream s = RecognizeStream.open(kit.stub);
            var c = RecognizeStream.config("de");
            s.send(c.toBuilder().setConfig(c.getConfig().toBuilder().setLanguageCode("de-DE")).build());
            Status st = s.await();
            assertThat(st.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(st.getDescription()).isEqualTo("language 'de-DE' is not spoken by kyutai/stt-1b-en_fr; supported: en, fr");

            s = RecognizeStream.open(kit.stub);
            s.send(c.toBuilder().setConfig(c.getConfig().toBuilder().setLanguageCode("fr-FR")
                    .setAudioFormat(c.getConfig().getAudioFormat().toBuilder().setSampleRateHz(8000))).build());
            assertThat(s.await().getDescription()).startsWith("sample rate 8000 Hz is not accepted");

            s = RecognizeStream.open(kit.stub);
            s.sendAudio(new byte[320], 320);
            assertThat(s.await().getDescription()).startsWith("audio before the config");
            assertThat(kit.standIn.connections()).isEmpty();
        }
    }
}
