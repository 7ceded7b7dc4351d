package org.steno.subtitles.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.proto.transcript.v1.Word;

class RenderersTest {

    static Duration d(long ms) {
        return Duration.newBuilder().setSeconds(ms / 1000).setNanos((int) (ms % 1000) * 1_000_000).build();
    }

    /** A segment whose words are 300 ms apart. */
    static Segment segment(String id, String speaker, long startMs, String text) {
        Segment.Builder b = Segment.newBuilder().setSegmentId(id).setSpeakerId(speaker).setText(text).setMediaStart(d(startMs));
        long t = startMs;
        for (String w : text.split(" ")) {
            b.addWords(Word.newBuilder().setText(w).setMediaStart(d(t)).setMediaEnd(d(t + 250)));
            t += 300;
        }
        return b.setMediaEnd(d(t - 50)).build();
    }

    static Transcript transcript() {
        String long1 = "and mister john dashwood had then leisure to consider how much there might be prudently in his "
                + "power to do for them he was not an ill disposed young man unless to be rather cold hearted";
        return Transcript.newBuilder().setSchemaVersion(1)
                .addSpeakers(Speaker.newBuilder().setSpeakerId("s1").setDisplayName("Alice <Martin>"))
                .addSpeakers(Speaker.newBuilder().setSpeakerId("s2").setDisplayName("Bob"))
                .addSegments(segment("a", "s1", 0, long1))
                .addSegments(segment("b", "s2", 12_000, "yes & no"))
                .build();
    }

    @Test
    void cuesRespectLineLengthLineCountDurationAndOrder() {
        List<Cue> cues = CueBuilder.cues(transcript());
        assertThat(cues.size()).isGreaterThan(3);
        long prevStart = -1;
        for (Cue c : cues) {
            assertThat(c.lines()).hasSizeBetween(1, 2);
            assertThat(c.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(42));
            assertThat(c.endMs() - c.startMs()).isPositive().isLessThanOrEqualTo(7000);
            assertThat(c.startMs()).isGreaterThanOrEqualTo(prevStart);
            prevStart = c.startMs();
        }
        // Nothing lost: the cues' words are the transcript's words in order.
        String all = String.join(" ", cues.stream().map(Cue::text).toList());
        assertThat(all).isEqualTo(transcript().getSegments(0).getText() + " yes & no");
    }

    @Test
    void webVttHasHeaderTimingsVoiceSpansAndEscapes() {
        String vtt = WebVttRenderer.render(transcript());
        assertThat(vtt).startsWith("WEBVTT\n\n");
        assertThat(vtt).contains("00:00:00.000 --> ");
        assertThat(vtt).contains("<v Alice &lt;Martin&gt;>and mister john");
        assertThat(vtt).contains("<v Bob>yes &amp; no</v>");
        assertThat(WebVttRenderer.time(3_723_045)).isEqualTo("01:02:03.045");
    }

    @Test
    void srtNumbersCuesAndNamesSpeakerChanges() {
        String srt = SrtRenderer.render(transcript());
        assertThat(srt).startsWith("1\n00:00:00,000 --> ");
        assertThat(srt).contains("Alice <Martin>: and mister john");
        assertThat(srt).contains("Bob: yes & no");
        assertThat(srt.split("\n\n")[1]).startsWith("2\n");
    }

    @Test
    void textAndRttm() {
        assertThat(TextRenderer.render(transcript())).contains("[00:00:12] Bob: yes & no");
        String rttm = RttmWriter.render(transcript(), "my file");
        assertThat(rttm.lines().toList()).containsExactly(
                "SPEAKER my_file 1 0.000 10.750 <NA> <NA> s1 <NA> <NA>",
                "SPEAKER my_file 1 12.000 0.850 <NA> <NA> s2 <NA> <NA>");
    }

    @Test
    void textShowsAudioThatWasNeverTranscribedWhereItHappened() {
        Transcript t = transcript().toBuilder()
                .setSpeakers(1, Speaker.newBuilder().setSpeakerId("s2").setDisplayName("Bob").setSourceTrackId("t2"))
                .addGaps(org.steno.proto.transcript.v1.CoverageGap.newBuilder().setTrackId("t2").setMediaStart(d(5000))
                        .setMediaEnd(d(5800)).setReason("the audio did not reach the SFU (network loss)"))
                .addGaps(org.steno.proto.transcript.v1.CoverageGap.newBuilder().setMediaStart(d(20_000))
                        .setMediaEnd(d(23_000)).setReason("the pipeline read too slowly"))
                .build();
        List<String> paragraphs = List.of(TextRenderer.render(t).split("\n\n"));
        assertThat(paragraphs).hasSize(4);
        assertThat(paragraphs.get(0)).startsWith("[00:00:00] Alice <Martin>: and mister john");
        assertThat(paragraphs.get(1)).isEqualTo("[00:00:05] (no transcript for 0.8 s of Bob: the audio did not reach the SFU (network loss))");
        assertThat(paragraphs.get(2)).startsWith("[00:00:12] Bob: yes & no");
        assertThat(paragraphs.get(3)).isEqualTo("[00:00:20] (no transcript for 3.0 s of everyone: the pipeline read too slowly)");
    }

    @Test
    void segmentWithoutWordsIsSpreadOverItsSpan() {
        Transcript t = Transcript.newBuilder()
                .addSegments(Segment.newBuilder().setSpeakerId("x").setMediaStart(d(1000)).setMediaEnd(d(3000)).setText("hello there"))
                .build();
        List<Cue> cues = CueBuilder.cues(t);
        assertThat(cues).hasSize(1);
        assertThat(cues.get(0).startMs()).isEqualTo(1000);
        assertThat(cues.get(0).endMs()).isEqualTo(3000);
        assertThat(cues.get(0).speaker()).isEqualTo("x");
    }
}
