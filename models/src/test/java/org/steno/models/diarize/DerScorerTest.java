package org.steno.models.diarize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DerScorerTest {

    private static Rttm.Segment seg(String who, double start, double end) {
        return new Rttm.Segment(who, start, end);
    }

    @Test
    void perfectHypothesisWithOtherLabelsScoresZero() {
        List<Rttm.Segment> ref = List.of(seg("a", 0, 10), seg("b", 10, 20));
        List<Rttm.Segment> hyp = List.of(seg("x", 0, 10), seg("y", 10, 20));
        DerScorer.Result r = new DerScorer(0).score(ref, hyp);
        assertThat(r.der()).isZero();
        assertThat(r.mapping()).containsEntry("x", "a").containsEntry("y", "b");
    }

    @Test
    void missedFalseAlarmAndConfusionWithoutCollar() {
        // ref: a 0–10, b 10–20 (20 s). hyp: x 0–8 (2 s of a missed), x 12–20 (b confused for 8 s
        // since x maps to a), y 20–22 (2 s false alarm), b 10–12 missed.
        List<Rttm.Segment> ref = List.of(seg("a", 0, 10), seg("b", 10, 20));
        List<Rttm.Segment> hyp = List.of(seg("x", 0, 8), seg("x", 12, 20), seg("y", 20, 22));
        DerScorer.Result r = new DerScorer(0).score(ref, hyp);
        assertThat(r.referenceSpeech()).isCloseTo(20, within(1e-9));
        assertThat(r.missed()).isCloseTo(4, within(1e-9));
        assertThat(r.falseAlarm()).isCloseTo(2, within(1e-9));
        assertThat(r.confusion()).isCloseTo(8, within(1e-9));
        assertThat(r.der()).isCloseTo(14.0 / 20, within(1e-9));
    }

    @Test
    void collarRemovesTimeAroundEveryReferenceBoundary() {
        // Boundaries at 0, 10 (a's end and b's start), 20: collars 0–0.25, 9.75–10.25, 19.75–20.25.
        // Hyp shifts the change by 0.2 s: inside the collar, so no error at all.
        List<Rttm.Segment> ref = List.of(seg("a", 0, 10), seg("b", 10, 20));
        List<Rttm.Segment> hyp = List.of(seg("x", 0, 10.2), seg("y", 10.2, 20));
        DerScorer.Result r = new DerScorer(0.25).score(ref, hyp);
        assertThat(r.der()).isZero();
        assertThat(r.referenceSpeech()).isCloseTo(20 - 0.25 - 0.5 - 0.25, within(1e-9));
        // Without a collar the same shift is 0.2 s of confusion.
        assertThat(new DerScorer(0).score(ref, hyp).confusion()).isCloseTo(0.2, within(1e-9));
    }

    @Test
    void overlapIsScoredTwiceAndMissingTheSecondVoiceIsMissedSpeech() {
        // a 0–10 and b 5–15 overlap for 5 s: reference speech 20 s. Hyp x 0–15 only.
        List<Rttm.Segment> ref = List.of(seg("a", 0, 10), seg("b", 5, 15));
        List<Rttm.Segment> hyp = List.of(seg("x", 0, 15));
        DerScorer.Result r = new DerScorer(0).score(ref, hyp);
        assertThat(r.referenceSpeech()).isCloseTo(20, within(1e-9));
        assertThat(r.missed()).isCloseTo(5, within(1e-9));
        // x maps to a (10 s together vs 10 s with b: tie, either way 5 s are b alone → confusion).
        assertThat(r.confusion()).isCloseTo(5, within(1e-9));
        assertThat(r.falseAlarm()).isZero();
    }

    @Test
    void mappingIsOneToOneAndOptimal() {
        // Greedy would map x→a (6 s) and leave y with nothing of b; optimal maps y→a, x→b.
        List<Rttm.Segment> ref = List.of(seg("a", 0, 10), seg("b", 10, 17));
        List<Rttm.Segment> hyp = List.of(seg("x", 4, 17), seg("y", 0, 4));
        DerScorer.Result r = new DerScorer(0).score(ref, hyp);
        assertThat(r.mapping()).containsEntry("x", "b").containsEntry("y", "a");
        assertThat(r.confusion()).isCloseTo(6, within(1e-9));
    }

    @Test
    void extraHypothesisSpeakerIsConfusion() {
        List<Rttm.Segment> ref = List.of(seg("a", 0, 10));
        List<Rttm.Segment> hyp = List.of(seg("x", 0, 7), seg("y", 7, 10));
        DerScorer.Result r = new DerScorer(0).score(ref, hyp);
        assertThat(r.confusion()).isCloseTo(3, within(1e-9));
        assertThat(r.der()).isCloseTo(0.3, within(1e-9));
    }

    @Test
    void rttmRoundTrips() {
        List<Rttm.Segment> segments = List.of(seg("spk_0", 0.5, 2.25), seg("spk_1", 2.0, 4.0));
        assertThat(Rttm.parse(Rttm.format("meeting", segments))).isEqualTo(segments);
    }

    @Test
    void hungarianSolvesRectangularMatrices() {
        double[][] w = {{1, 5, 0}, {4, 4, 1}};
        assertThat(Hungarian.maximise(w)).containsExactly(1, 0);
        double[][] tall = {{3}, {7}, {1}};
        assertThat(Hungarian.maximise(tall)).containsExactly(-1, 0, -1);
    }
}
