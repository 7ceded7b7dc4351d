package org.steno.simulator.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Loss and jitter of one received stream, RFC 3550 style, across the 65535 → 0 wrap and an idle slot. */
class ReceiveStreamTest {

    private static final long MS = 1_000_000L;

    @Test
    void lossCountsTheGapsAcrossTheSequenceWrap() {
        ReceiveStream s = new ReceiveStream(1, "audio");
        int seq = 65530;
        long ts = 0;
        for (int i = 0; i < 12; i++) {
            if (i != 7) { // seq 65537 & 0xFFFF = 1 lost
                s.onPacket((seq + i) & 0xFFFF, ts + 960L * i, 20 * MS * i);
            }
        }
        assertThat(s.expected()).isEqualTo(12);
        assertThat(s.lost()).isEqualTo(1);
        assertThat(s.reportBlock(0).fractionLost()).isEqualTo((1 << 8) / 12);
    }

    @Test
    void evenlyPacedPacketsHaveNoJitterAndDelayedOnesSome() {
        ReceiveStream s = new ReceiveStream(1, "audio");
        for (int i = 0; i < 50; i++) {
            s.onPacket(i, 960L * i, 20 * MS * i);
        }
        assertThat(s.jitterMillis()).isLessThan(0.1);
        for (int i = 50; i < 100; i++) {
            s.onPacket(i, 960L * i, 20 * MS * i + (i % 2 == 0 ? 10 * MS : 0));
        }
        assertThat(s.jitterMillis()).isBetween(5.0, 11.0);
    }

    @Test
    void anIdleSlotDoesNotCountItsSilenceAsJitter() {
        ReceiveStream s = new ReceiveStream(1, "audio");
        for (int i = 0; i < 20; i++) {
            s.onPacket(i, 960L * i, 20 * MS * i);
        }
        // 30 s without packets, then the slot carries someone again with the timestamps simply continued.
        for (int i = 20; i < 40; i++) {
            s.onPacket(i, 960L * i, 30_000 * MS + 20 * MS * i);
        }
        assertThat(s.jitterMillis()).isLessThan(0.1);
    }

    @Test
    void theRtpTimestampWrapAndALongUptimeAreNotJitter() {
        ReceiveStream s = new ReceiveStream(1, "video");
        long start = 0xFFFFFFFFL - 3000 * 10; // the 32-bit timestamp wraps after ten frames
        long uptime = 200L * 3600 * 1_000_000_000L; // 200 h of nanoTime: × 90 kHz would overflow a long
        for (int i = 0; i < 40; i++) {
            s.onPacket(i, (start + 3000L * i) & 0xFFFFFFFFL, uptime + 33_333_333L * i);
        }
        assertThat(s.jitterMillis()).isLessThan(0.1);
    }
}
