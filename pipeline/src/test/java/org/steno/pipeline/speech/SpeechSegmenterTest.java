package org.steno.pipeline.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class SpeechSegmenterTest {

    static final MeetingMeta META = new MeetingMeta("t", 0, "en-US", "");

    /** 20 ms of noise at roughly {@code dbfs}. */
    static byte[] frame(double dbfs, Random rnd) {
        byte[] b = new byte[640];
        double amp = 32768 * Math.pow(10, dbfs / 20) * Math.sqrt(3);
        for (int i = 0; i < 320; i++) {
            int s = (int) ((rnd.nextDouble() * 2 - 1) * amp);
            b[2 * i] = (byte) s;
            b[2 * i + 1] = (byte) (s >> 8);
        }
        return b;
    }

    static TrackEvent audio(long ms, byte[] pcm) {
        return TrackEvent.audio("m", "live-0", "t1", "p1", "guest:p1", "Alice", "en-US", ms, pcm, META);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, TrackEvent, TrackEvent> harness() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, TrackEvent, TrackEvent> h = ProcessFunctionTestHarnesses
                .forKeyedProcessFunction(new SpeechSegmenter(SegmentationSettings.defaults()), TrackEvent::key, Types.STRING);
        return h;
    }

    /** Feeds [fromMs, toMs) as 20 ms frames at a level. */
    static void feed(KeyedOneInputStreamOperatorTestHarness<String, TrackEvent, TrackEvent> h, long fromMs, long toMs,
                     double dbfs, Random rnd) throws Exception {
        for (long t = fromMs; t < toMs; t += 20) {
            h.processElement(audio(t, frame(dbfs, rnd)), t);
        }
    }

    @Test
    void frameLevelOfKnownSignals() {
        assertThat(FrameLevel.dbfs(new byte[640])).isEqualTo(-120);
        assertThat(FrameLevel.dbfs(frame(-20, new Random(1)))).isBetween(-21.0, -19.0);
    }

    @Test
    void speechBetweenSilencesBecomesOneSegmentWithPrerollAndAFlushAfterTheHangover() throws Exception {
        var h = harness();
        Random rnd = new Random(7);
        feed(h, 0, 1000, -65, rnd);      // room noise
        feed(h, 1000, 2500, -25, rnd);   // speech
        feed(h, 2500, 4000, -65, rnd);   // silence again
        List<TrackEvent> out = h.extractOutputValues();
        List<TrackEvent> audio = out.stream().filter(e -> e.kind() == TrackEvent.Kind.AUDIO).toList();
        List<TrackEvent> ends = out.stream().filter(e -> e.kind() == TrackEvent.Kind.SEGMENT_END).toList();
        assertThat(ends).hasSize(1);
        long start = audio.get(0).mediaMs();
        // Opens after 60 ms of speech, with 200 ms of pre-roll before the onset.
        assertThat(start).isBetween(780L, 1000L);
        assertThat(audio).allSatisfy(e -> assertThat(e.segmentStartMs()).isEqualTo(start));
        // Closes once 600 ms of silence followed the speech; the silence before the speech is not sent.
        assertThat(ends.get(0).segmentStartMs()).isEqualTo(start);
        assertThat(ends.get(0).mediaMs()).isBetween(3060L, 3140L);
        assertThat(audio.get(audio.size() - 1).mediaMs()).isEqualTo(ends.get(0).mediaMs());
        // pre-roll + speech + hangover: about 13 + 75 + 30 frames of the 200 fed (the pre-roll
        // goes out merged into ≤ 100 ms events, so count 20 ms frames, not events)
        assertThat(audio.stream().mapToLong(TrackEvent::durationMs).sum() / 20).isBetween(110L, 125L);
        assertThat(audio).allSatisfy(e -> assertThat(e.durationMs()).isBetween(20L, 100L));
        h.close();
    }

    @Test
    void clickShorterThanTheOnsetOpensNoSegment() throws Exception {
        var h = harness();
        Random rnd = new Random(3);
        feed(h, 0, 1000, -65, rnd);
        feed(h, 1000, 1040, -20, rnd);
        feed(h, 1040, 2000, -65, rnd);
        assertThat(h.extractOutputValues()).isEmpty();
        h.close();
    }

    @Test
    void longSpeechIsCutAtTheMaximumSegmentLength() throws Exception {
        var h = harness();
        Random rnd = new Random(5);
        feed(h, 0, 500, -65, rnd);
        // Speech-like: 300 ms syllables and 100 ms gaps, never a pause long enough to end the segment.
        for (long t = 500; t < 40_000; t += 400) {
            feed(h, t, t + 300, -25, rnd);
            feed(h, t + 300, t + 400, -60, rnd);
        }
        List<TrackEvent> ends = h.extractOutputValues().stream().filter(e -> e.kind() == TrackEvent.Kind.SEGMENT_END).toList();
        assertThat(ends).hasSizeGreaterThanOrEqualTo(2);
        assertThat(ends).allSatisfy(e -> assertThat(e.mediaMs() + 20 - e.segmentStartMs()).isLessThanOrEqualTo(15_000));
        h.close();
    }

    @Test
    void trackEndClosesAnOpenSegmentFirst() throws Exception {
        var h = harness();
        Random rnd = new Random(9);
        feed(h, 0, 500, -65, rnd);
        feed(h, 500, 1500, -25, rnd);
        h.processElement(TrackEvent.trackEnd("m", "live-0", "t1", "p1", "guest:p1", "Alice", "en-US", 1500, true,
                new String[]{"t1"}, META), 1500);
        List<TrackEvent> out = h.extractOutputValues();
        assertThat(out.get(out.size() - 2).kind()).isEqualTo(TrackEvent.Kind.SEGMENT_END);
        assertThat(out.get(out.size() - 1).kind()).isEqualTo(TrackEvent.Kind.TRACK_END);
        h.close();
    }

    @Test
    void restoredStateCutsTheSameSegmentsAsAnUninterruptedRun() throws Exception {
        Random a = new Random(11);
        List<byte[]> frames = new ArrayList<>();
        double[] plan = {-65, -25, -65, -25, -65};
        for (double level : plan) {
            for (int i = 0; i < 60; i++) {
                frames.add(frame(level, a));
            }
        }
        var whole = harness();
        for (int i = 0; i < frames.size(); i++) {
            whole.processElement(audio(i * 20L, frames.get(i)), i * 20L);
        }
        List<String> expected = summary(whole.extractOutputValues());

        var first = harness();
        int cut = 75; // in the middle of the first speech
        for (int i = 0; i < cut; i++) {
            first.processElement(audio(i * 20L, frames.get(i)), i * 20L);
        }
        OperatorSubtaskState snap = first.snapshot(1, 0);
        List<TrackEvent> before = new ArrayList<>(first.extractOutputValues());
        first.close();
        var second = new KeyedOneInputStreamOperatorTestHarness<String, TrackEvent, TrackEvent>(
                new KeyedProcessOperator<>(new SpeechSegmenter(SegmentationSettings.defaults())), TrackEvent::key, Types.STRING);
        second.initializeState(snap);
        second.open();
        for (int i = cut; i < frames.size(); i++) {
            second.processElement(audio(i * 20L, frames.get(i)), i * 20L);
        }
        before.addAll(second.extractOutputValues());
        assertThat(summary(before)).isEqualTo(expected);
        second.close();
    }

    @Test
    void framesMergedByABusyReaderAreCutIntoTheSameSegmentsAsSingleFrames() throws Exception {
        Random a = new Random(13);
        List<TrackEvent> frames = new ArrayList<>();
        double[] plan = {-65, -25, -62, -25, -60, -65};
        long t = 0;
        for (double level : plan) {
            for (int i = 0; i < 45; i++, t += 20) {
                frames.add(audio(t, frame(level, a)));
            }
        }
        var single = harness();
        for (TrackEvent f : frames) {
            single.processElement(f, f.mediaMs());
        }
        List<TrackEvent> expected = single.extractOutputValues();

        // The same audio as the reader sends it when it is behind: runs of up to 100 ms.
        var merged = harness();
        List<TrackEvent> in = new ArrayList<>();
        AudioCoalescer c = new AudioCoalescer(100, in::add);
        frames.forEach(c::add);
        c.flush();
        assertThat(in).hasSizeLessThan(frames.size() / 4);
        for (TrackEvent e : in) {
            merged.processElement(e, e.mediaMs());
        }
        List<TrackEvent> got = merged.extractOutputValues();
        assertThat(got).allSatisfy(e -> assertThat(e.durationMs()).isLessThanOrEqualTo(100));
        assertThat(expected).filteredOn(e -> e.kind() == TrackEvent.Kind.SEGMENT_END).hasSizeGreaterThanOrEqualTo(2);
        assertThat(summary(frames(got))).isEqualTo(summary(frames(expected)));
        assertThat(pcm(got)).isEqualTo(pcm(expected));
        single.close();
        merged.close();
    }

    /** Output events cut back into 20 ms frames. */
    private static List<TrackEvent> frames(List<TrackEvent> out) {
        List<TrackEvent> all = new ArrayList<>();
        out.forEach(e -> all.addAll(AudioCoalescer.frames(e)));
        return all;
    }

    private static byte[] pcm(List<TrackEvent> out) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        out.forEach(e -> b.writeBytes(e.pcm()));
        return b.toByteArray();
    }

    private static List<String> summary(List<TrackEvent> out) {
        return out.stream().map(e -> e.kind() + "@" + e.mediaMs() + "/" + e.segmentStartMs()).toList();
    }
}
