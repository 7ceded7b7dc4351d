package org.steno.recorder.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Wraps, reordering, duplicates and big jumps in the counters the track writers rely on. */
class SequencingTest {

    @Test
    void sequenceNumbersUnwrapAcross65535AndBack() {
        SequenceUnwrapper u = new SequenceUnwrapper(16);
        long a = u.unwrap(65534);
        assertThat(u.unwrap(65535)).isEqualTo(a + 1);
        assertThat(u.unwrap(0)).isEqualTo(a + 2);
        assertThat(u.unwrap(1)).isEqualTo(a + 3);
        assertThat(u.unwrap(65535)).as("late packet from before the wrap").isEqualTo(a + 1);
        assertThat(u.unwrap(2)).isEqualTo(a + 4);
    }

    @Test
    void timestampsUnwrapAt32Bits() {
        SequenceUnwrapper u = new SequenceUnwrapper(32);
        long a = u.unwrap(0xFFFFFC40L);
        assertThat(u.unwrap(0x00000000L + 0x200)).isEqualTo(a + 0x3C0 + 0x200);
    }

    @Test
    void jitterBufferReordersDropsDuplicatesAndGivesUpOnLostPackets() {
        JitterBuffer<Long> jb = new JitterBuffer<>(3);
        List<Long> out = new ArrayList<>();
        out.addAll(jb.push(10, 10L));   // first: held until depth or successor
        out.addAll(jb.push(12, 12L));
        out.addAll(jb.push(11, 11L));
        out.addAll(jb.push(13, 13L));   // depth exceeded: 10 leaves, then 11, 12, 13 follow in order
        assertThat(out).containsExactly(10L, 11L, 12L, 13L);
        assertThat(jb.push(12, 12L)).as("duplicate / too late").isEmpty();
        // 14 is lost: 15..17 wait; 18 takes the buffer over depth, so 15 goes without 14 and its
        // successors follow at once.
        out.clear();
        for (long s = 15; s <= 17; s++) {
            out.addAll(jb.push(s, s));
        }
        assertThat(out).isEmpty();
        out.addAll(jb.push(18, 18L));
        assertThat(out).containsExactly(15L, 16L, 17L, 18L);
        assertThat(jb.push(20, 20L)).isEmpty();
        assertThat(jb.drain()).containsExactly(20L);
        assertThat(jb.push(14, 14L)).as("arrives after its successors were written").isEmpty();
        assertThat(jb.dropped()).isEqualTo(2);
    }

    @Test
    void timelineFollowsRtpAndReanchorsOnJumps() {
        TrackTimeline t = new TrackTimeline(48000, () -> 1_000_000);
        assertThat(t.position(4_294_967_000L, 1_000_000)).isZero();
        // 20 ms later by RTP (across the 32-bit wrap), arrival 5 ms late: RTP spacing wins.
        assertThat(t.position((4_294_967_000L + 960) & 0xffffffffL, 1_025_000)).isEqualTo(960);
        // Timestamp jumps 10 minutes ahead while the media clock moved 20 ms: re-anchored on media time.
        assertThat(t.position(4_294_967_000L + 960 * 2 + 28_800_000L & 0xffffffffL, 1_040_000)).isEqualTo(1920);
        assertThat(t.resyncs()).isEqualTo(1);
        // Backwards by 2 s: re-anchored again.
        assertThat(t.position(1000, 1_060_000)).isEqualTo(2880);
        assertThat(t.resyncs()).isEqualTo(2);
    }

    @Test
    void vp8DescriptorLengths() {
        assertThat(Vp8Depacketizer.descriptorLength(new byte[] {0x10, 0})).isEqualTo(1);
        // X with a 15-bit PictureID, TL0PICIDX and TID/KEYIDX.
        assertThat(Vp8Depacketizer.descriptorLength(new byte[] {(byte) 0x90, (byte) 0xF0, (byte) 0x80, 1, 2, 3, 0}))
                .isEqualTo(6);
        assertThat(Vp8Depacketizer.descriptorLength(new byte[] {(byte) 0x90})).isEqualTo(-1);
        assertThat(Vp8Depacketizer.descriptorLength(new byte[0])).isEqualTo(-1);
    }
}
