package org.steno.pipeline.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adaptive merging of queued 20 ms frames, and cutting a merged event back into its frames. */
class AudioCoalescerTest {

    static final MeetingMeta META = new MeetingMeta("t", 0, "en-US", "");

    private final List<TrackEvent> out = new ArrayList<>();
    private final AudioCoalescer merged = new AudioCoalescer(100, out::add);

    /** A 20 ms frame whose bytes say where it comes from (track, media time), so joins can be checked. */
    static TrackEvent frame(String track, long mediaMs) {
        byte[] pcm = new byte[AudioCoalescer.FRAME_BYTES];
        Arrays.fill(pcm, (byte) (mediaMs / 20));
        pcm[0] = (byte) track.hashCode();
        return TrackEvent.audio("m", "live-0", track, "p-" + track, "guest:" + track, "Speaker " + track, "en-US",
                mediaMs, pcm, META);
    }

    static byte[] concat(TrackEvent... frames) {
        byte[] all = new byte[0];
        for (TrackEvent f : frames) {
            int at = all.length;
            all = Arrays.copyOf(all, at + f.pcm().length);
            System.arraycopy(f.pcm(), 0, all, at, f.pcm().length);
        }
        return all;
    }

    @Test
    void aLoneFrameGoesOutAloneAndUnchanged() {
        TrackEvent f = frame("t1", 1000);
        merged.add(f);
        assertThat(out).isEmpty(); // nothing is emitted before the caller says nothing more is queued
        merged.flush();
        assertThat(out).containsExactly(f);
        merged.flush();
        assertThat(out).hasSize(1);
    }

    @Test
    void queuedFramesOfATrackMergeUpTo100Ms() {
        TrackEvent[] f = new TrackEvent[7];
        for (int i = 0; i < f.length; i++) {
            f[i] = frame("t1", 1000 + 20L * i);
            merged.add(f[i]);
        }
        // Five frames (100 ms) went out as soon as the cap was reached; the rest on flush.
        assertThat(out).hasSize(1);
        merged.flush();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).mediaMs()).isEqualTo(1000);
        assertThat(out.get(0).durationMs()).isEqualTo(100);
        assertThat(out.get(0).pcm()).isEqualTo(concat(f[0], f[1], f[2], f[3], f[4]));
        assertThat(out.get(0).trackId()).isEqualTo("t1");
        assertThat(out.get(0).speakerName()).isEqualTo("Speaker t1");
        assertThat(out.get(1).mediaMs()).isEqualTo(1100);
        assertThat(out.get(1).pcm()).isEqualTo(concat(f[5], f[6]));
    }

    @Test
    void aGapInMediaTimeNeverMerges() {
        TrackEvent a = frame("t1", 1000);
        TrackEvent b = frame("t1", 1040); // 1020 is missing
        merged.add(a);
        merged.add(b);
        merged.flush();
        assertThat(out).containsExactly(a, b);
    }

    @Test
    void framesOfDifferentTracksNeverMergeButEachTrackMergesItsOwn() {
        TrackEvent a1 = frame("t1", 1000);
        TrackEvent b1 = frame("t2", 1000);
        TrackEvent a2 = frame("t1", 1020);
        TrackEvent b2 = frame("t2", 1020);
        merged.add(a1);
        merged.add(b1);
        merged.add(a2);
        merged.add(b2);
        merged.flush();
        assertThat(out).hasSize(2);
        assertThat(out).extracting(TrackEvent::trackId).containsExactly("t1", "t2");
        assertThat(out.get(0).pcm()).isEqualTo(concat(a1, a2));
        assertThat(out.get(1).pcm()).isEqualTo(concat(b1, b2));
    }

    @Test
    void aTrackEndFlushesThatTrackFirstSoOrderIsKept() {
        TrackEvent a1 = frame("t1", 1000);
        TrackEvent a2 = frame("t1", 1020);
        TrackEvent end = TrackEvent.trackEnd("m", "live-0", "t1", "p-t1", "guest:t1", "Speaker t1", "en-US", 1040,
                false, new String[0], META);
        merged.add(a1);
        merged.add(a2);
        merged.add(end);
        assertThat(out).hasSize(2);
        assertThat(out.get(0).pcm()).isEqualTo(concat(a1, a2));
        assertThat(out.get(1)).isSameAs(end);
    }

    @Test
    void framesOfAnotherSegmentOrSizeOrSpeakerNameDoNotMerge() {
        TrackEvent a = frame("t1", 0).withSegment(TrackEvent.Kind.AUDIO, 0);
        TrackEvent b = frame("t1", 20).withSegment(TrackEvent.Kind.AUDIO, 20); // a new segment starts
        TrackEvent odd = TrackEvent.audio("m", "live-0", "t1", "p-t1", "guest:t1", "Speaker t1", "en-US", 40,
                new byte[320], META).withSegment(TrackEvent.Kind.AUDIO, 20); // 10 ms
        TrackEvent c = frame("t1", 50).withSegment(TrackEvent.Kind.AUDIO, 20);
        TrackEvent renamed = TrackEvent.audio("m", "live-0", "t1", "p-t1", "guest:t1", "Dr. Speaker", "en-US", 70,
                frame("t1", 70).pcm(), META).withSegment(TrackEvent.Kind.AUDIO, 20);
        for (TrackEvent e : List.of(a, b, odd, c, renamed)) {
            merged.add(e);
        }
        merged.flush();
        assertThat(out).containsExactly(a, b, odd, c, renamed);
    }

    @Test
    void aMergedEventCutsBackIntoExactlyItsFrames() {
        List<TrackEvent> frames = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            frames.add(frame("t1", 500 + 20L * i).withSegment(TrackEvent.Kind.AUDIO, 480));
            merged.add(frames.get(i));
        }
        merged.flush();
        assertThat(out).hasSize(1);
        List<TrackEvent> cut = AudioCoalescer.frames(out.get(0));
        assertThat(cut).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(cut.get(i).mediaMs()).isEqualTo(frames.get(i).mediaMs());
            assertThat(cut.get(i).pcm()).isEqualTo(frames.get(i).pcm());
            assertThat(cut.get(i).segmentStartMs()).isEqualTo(480);
        }
        TrackEvent lone = frame("t1", 0);
        assertThat(AudioCoalescer.frames(lone)).containsExactly(lone);
    }

    @Test
    void aCapBelowOneFrameIsRefused() {
        assertThatThrownBy(() -> new AudioCoalescer(10, e -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("20 ms");
    }
}
