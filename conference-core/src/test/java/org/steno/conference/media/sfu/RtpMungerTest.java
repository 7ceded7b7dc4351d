package org.steno.conference.media.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Sequence/timestamp rewriting (the SFU failure mode #1): wrap, big jumps, out-of-order, source switches, padding,
 * packets from before a switch.
 */
class RtpMungerTest {

    private static final long MS = 1_000_000L;
    private final Object a = new Object();
    private final Object b = new Object();

    @Test
    void aSingleSourceKeepsItsSpacingAndWrapsContinuously() {
        RtpMunger m = new RtpMunger(48000, 65530, 4_294_967_000L);
        m.switchTo(a);
        long prevSeq = -1;
        for (int i = 0; i < 20; i++) {
            RtpMunger.Munged r = m.munge(a, 1000 + i, 5000 + 960L * i, false, i * 20 * MS);
            if (prevSeq >= 0) {
                assertThat(r.extendedSeq()).isEqualTo(prevSeq + 1);
            }
            prevSeq = r.extendedSeq();
        }
        assertThat(m.lastOutSeq() & 0xFFFF).isLessThan(20); // wrapped past 65535
        RtpMunger fresh = new RtpMunger(48000, 65530, 4_294_967_000L);
        assertThat(fresh.munge(a, 1000, 5000, false, 0)).as("no source yet").isNull();
        fresh.switchTo(a);
        RtpMunger.Munged first = fresh.munge(a, 1000, 5000, false, 0);
        assertThat(first.seq()).isEqualTo(65530);
        assertThat(first.timestamp()).isEqualTo(4_294_967_000L);
    }

    @Test
    void timestampsWrapModulo2to32() {
        RtpMunger m = new RtpMunger(90000, 1, 0xFFFFFF00L);
        m.switchTo(a);
        m.munge(a, 10, 0, false, 0);
        RtpMunger.Munged r = m.munge(a, 11, 3000, false, 33 * MS);
        assertThat(r.timestamp()).isEqualTo((0xFFFFFF00L + 3000) & 0xFFFFFFFFL);
    }

    @Test
    void aSourceSwitchContinuesTheSequenceAndAdvancesTimeByWallClock() {
        RtpMunger m = new RtpMunger(48000, 100, 10_000);
        m.switchTo(a);
        for (int i = 0; i < 5; i++) {
            m.munge(a, 7000 + i, 123_456 + 960L * i, false, i * 20 * MS);
        }
        long lastSeq = m.lastOutSeq();
        long lastTs = m.lastOutTimestamp();
        m.switchTo(b);
        // source B has unrelated numbering; its first packet comes 100 ms after A's last
        RtpMunger.Munged r = m.munge(b, 40_000, 9_999_999, false, (4 * 20 + 100) * MS);
        assertThat(r.extendedSeq()).isEqualTo(lastSeq + 1);
        assertThat(r.timestamp()).isEqualTo(lastTs + 4800);
        RtpMunger.Munged next = m.munge(b, 40_001, 9_999_999 + 960, false, (4 * 20 + 120) * MS);
        assertThat(next.extendedSeq()).isEqualTo(lastSeq + 2);
        assertThat(next.timestamp()).isEqualTo(lastTs + 4800 + 960);
        // late packet of A after the switch: dropped (it would collide with B's numbers)
        assertThat(m.munge(a, 7002, 0, false, 200 * MS)).isNull();
        // switching back to A continues again without a gap
        m.switchTo(a);
        RtpMunger.Munged back = m.munge(a, 7010, 500_000, false, 220 * MS);
        assertThat(back.extendedSeq()).isEqualTo(lastSeq + 3);
    }

    @Test
    void reorderedPacketsOfTheSameSourceKeepTheirPlace() {
        RtpMunger m = new RtpMunger(90000, 500, 0);
        m.switchTo(a);
        RtpMunger.Munged p1 = m.munge(a, 1, 0, false, 0);
        RtpMunger.Munged p3 = m.munge(a, 3, 6000, false, 0);
        RtpMunger.Munged p2 = m.munge(a, 2, 3000, false, 0);
        assertThat(p2.extendedSeq()).isEqualTo(p1.extendedSeq() + 1);
        assertThat(p3.extendedSeq()).isEqualTo(p1.extendedSeq() + 2);
        assertThat(p2.timestamp()).isEqualTo(p1.timestamp() + 3000);
        // a packet from before the source started is dropped
        assertThat(m.munge(a, 0, 0, false, 0)).isNull();
    }

    @Test
    void bigJumpsPassThroughAsGapsSoTheReceiverSeesTheLoss() {
        RtpMunger m = new RtpMunger(90000, 10, 0);
        m.switchTo(a);
        RtpMunger.Munged p1 = m.munge(a, 100, 0, false, 0);
        RtpMunger.Munged p2 = m.munge(a, 100 + 40_000, 3000, false, 0);
        assertThat(p2.extendedSeq() - p1.extendedSeq()).isEqualTo(40_000);
    }

    @Test
    void inOrderPaddingIsSwallowedWithoutAGap() {
        RtpMunger m = new RtpMunger(90000, 10, 0);
        m.switchTo(a);
        RtpMunger.Munged p1 = m.munge(a, 1, 0, false, 0);
        assertThat(m.munge(a, 2, 0, true, 0)).isNull();
        assertThat(m.munge(a, 3, 0, true, 0)).isNull();
        RtpMunger.Munged p4 = m.munge(a, 4, 3000, false, 0);
        assertThat(p4.extendedSeq()).isEqualTo(p1.extendedSeq() + 1);
        // a new source never starts on padding
        m.switchTo(b);
        assertThat(m.munge(b, 99, 0, true, 0)).isNull();
        assertThat(m.munge(b, 100, 0, false, 0).extendedSeq()).isEqualTo(p4.extendedSeq() + 1);
    }

    @Test
    void packetsHeldBackByTopNLeaveNoGapButUpstreamLossDoes() {
        RtpMunger m = new RtpMunger(48000, 10, 0);
        m.switchTo(a);
        RtpMunger.Munged p1 = m.munge(a, 1, 0, false, 0);
        for (int s = 2; s <= 50; s++) {
            m.absorb(a, s); // not in the top N for 49 packets
        }
        RtpMunger.Munged p51 = m.munge(a, 51, 960 * 50, false, 0);
        assertThat(p51.extendedSeq()).isEqualTo(p1.extendedSeq() + 1);
        assertThat(p51.timestamp()).isEqualTo(p1.timestamp() + 960 * 50); // time still advances
        RtpMunger.Munged p54 = m.munge(a, 54, 960 * 53, false, 0); // 52 and 53 lost upstream
        assertThat(p54.extendedSeq()).isEqualTo(p51.extendedSeq() + 3);
        m.absorb(b, 99); // another source's packet changes nothing
        assertThat(m.munge(a, 55, 960 * 54, false, 0).extendedSeq()).isEqualTo(p54.extendedSeq() + 1);
    }
}
