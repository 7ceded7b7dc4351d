package org.steno.models.whisperx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WhisperXClientTest {

    static final String KEY = "wx-secret";
    static final byte[] OGG = ("OggS" + "x".repeat(5000)).getBytes(StandardCharsets.ISO_8859_1);
    static final String ANSWER = """
            {"language":"fr","segments":[
              {"start":1.5,"end":3.25,"text":" Le budget est adopté.","speaker":"SPEAKER_00",
               "words":[{"word":" Le","start":1.5,"end":1.7,"score":0.91},{"word":"budget","start":1.8,"end":2.3,"score":0.88},
                        {"word":"est","start":2.4,"end":2.5,"score":0.95},{"word":"adopté.","start":2.6,"end":3.25,"score":0.7}]},
              {"start":5.0,"end":6.0,"text":"2026.","speaker":"SPEAKER_01","words":[{"word":"2026.","score":0.5}]}],
             "word_segments":[]}""";

    WhisperXStandIn standIn;

    @BeforeEach
    void start() throws Exception {
        standIn = new WhisperXStandIn(KEY);
        standIn.answer(OGG, ANSWER);
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    private WhisperXClient client(String key, int attempts, Duration timeout) {
        return new WhisperXClient(new WhisperXSettings(standIn.url(), key, "large-v2", timeout, attempts));
    }

    @Test
    void aFileIsSentAsTheServiceExpectsAndItsSegmentsAndWordsComeBack() throws Exception {
        DiarizedTranscription t = client(KEY, 1, Duration.ofSeconds(10)).transcribe(OGG, "track.ogg", "audio/ogg", "fr-FR");
        assertThat(t.segments()).hasSize(2);
        DiarizedTranscription.Segment s = t.segments().get(0);
        assertThat(s.start()).isEqualTo(1.5);
        assertThat(s.end()).isEqualTo(3.25);
        assertThat(s.text()).isEqualTo("Le budget est adopté.");
        assertThat(s.speaker()).isEqualTo("SPEAKER_00");
        assertThat(s.words()).extracting(DiarizedTranscription.Word::word).containsExactly("Le", "budget", "est", "adopté.");
        assertThat(t.segments().get(1).words().get(0).start()).as("a word WhisperX could not align has no time").isNull();
        WhisperXStandIn.Call call = standIn.calls().get(0);
        assertThat(call.authorization()).isEqualTo("Bearer " + KEY);
        assertThat(call.fields()).containsEntry("response_format", List.of("diarized_json"))
                .containsEntry("language", List.of("fr")).containsEntry("model", List.of("large-v2"))
                .containsEntry("timestamp_granularities[]", List.of("word", "segment"));
        assertThat(call.fileName()).isEqualTo("track.ogg");
        assertThat(call.fileType()).isEqualTo("audio/ogg");
        assertThat(call.fileBytes()).isEqualTo(OGG.length);
    }

    @Test
    void anUnreadableFileAndAWrongKeyAreNotRetriedAndABusyServiceIs() throws Exception {
        assertThatThrownBy(() -> client(KEY, 3, Duration.ofSeconds(10)).transcribe("not audio".getBytes(), "t.ogg", "audio/ogg", "en"))
                .isInstanceOfSatisfying(WhisperXException.class, e -> {
                    assertThat(e.kind()).isEqualTo(WhisperXException.Kind.BAD_FILE);
                    assertThat(e.getMessage()).contains("HTTP 400").contains("ffmpeg could not decode");
                });
        assertThat(standIn.calls()).hasSize(1);
        assertThatThrownBy(() -> client("wrong", 3, Duration.ofSeconds(10)).transcribe(OGG, "t.ogg", "audio/ogg", "en"))
                .isInstanceOfSatisfying(WhisperXException.class, e -> {
                    assertThat(e.kind()).isEqualTo(WhisperXException.Kind.REFUSED);
                    assertThat(e.getMessage()).doesNotContain("wrong");
                });
        assertThat(standIn.calls()).hasSize(2);
        standIn.failNext(2);
        DiarizedTranscription t = client(KEY, 3, Duration.ofSeconds(10)).transcribe(OGG, "t.ogg", "audio/ogg", "en");
        assertThat(t.segments()).hasSize(2);
        assertThat(standIn.calls()).as("two 503s, then the answer").hasSize(5);
        standIn.failNext(5);
        assertThatThrownBy(() -> client(KEY, 2, Duration.ofSeconds(10)).transcribe(OGG, "t.ogg", "audio/ogg", "en"))
                .isInstanceOfSatisfying(WhisperXException.class, e -> {
                    assertThat(e.kind()).isEqualTo(WhisperXException.Kind.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("HTTP 503").contains("GPU busy");
                });
    }

    @Test
    void aSlowServiceMissesTheDeadlineAndAnAnswerThatIsNotATranscriptIsRefused() throws Exception {
        standIn.delay(1500);
        assertThatThrownBy(() -> client(KEY, 1, Duration.ofMillis(300)).transcribe(OGG, "t.ogg", "audio/ogg", "en"))
                .isInstanceOfSatisfying(WhisperXException.class, e -> assertThat(e.getMessage()).startsWith("no answer within"));
        for (String bad : List.of("not json", "{\"text\":\"no segments\"}", "{\"segments\":[{\"text\":\"no times\"}]}", "[]")) {
            assertThatThrownBy(() -> WhisperXClient.parse(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
                    .isInstanceOf(WhisperXException.class);
        }
        assertThat(WhisperXClient.parse("{\"segments\":[]}".getBytes()).segments()).isEmpty();
        assertThatThrownBy(() -> new WhisperXSettings(java.net.URI.create("http://h:1/?key=x"), "", "", Duration.ofSeconds(1), 1))
                .hasMessageContaining("no query");
        assertThat(new WhisperXSettings(standIn.url(), KEY, "", Duration.ofSeconds(1), 1).toString()).doesNotContain(KEY);
    }
}
