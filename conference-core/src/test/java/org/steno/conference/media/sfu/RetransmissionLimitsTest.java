package org.steno.conference.media.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** NACKs are answered within limits: a few times per packet, not twice in a round trip, within a budget. */
class RetransmissionLimitsTest {

    private static final long MS = 1_000_000L;

    @Test
    void aPacketIsResentAtMostThreeTimesAndNeverTwiceWithinARoundTrip() {
        PacketCache cache = new PacketCache(16);
        cache.put(70_000, new byte[] {1});
        int seq = 70_000 & 0xFFFF;
        long rtt = 50 * MS;
        assertThat(cache.forResend(seq, 0, rtt)).isEqualTo(PacketCache.Resend.SEND);
        assertThat(cache.forResend(seq, 10 * MS, rtt)).as("asked again before the resend could arrive").isEqualTo(PacketCache.Resend.TOO_SOON);
        assertThat(cache.forResend(seq, 60 * MS, rtt)).isEqualTo(PacketCache.Resend.SEND);
        assertThat(cache.forResend(seq, 120 * MS, rtt)).isEqualTo(PacketCache.Resend.SEND);
        assertThat(cache.forResend(seq, 500 * MS, rtt)).isEqualTo(PacketCache.Resend.TOO_OFTEN);
        assertThat(cache.forResend(seq + 1, 500 * MS, rtt)).as("never sent").isEqualTo(PacketCache.Resend.MISS);
        cache.put(70_016, new byte[] {2}); // the same slot, a new packet: its own count
        assertThat(cache.forResend((70_016 & 0xFFFF), 600 * MS, rtt)).isEqualTo(PacketCache.Resend.SEND);
        assertThat(cache.forResend(seq, 600 * MS, rtt)).as("wrapped over").isEqualTo(PacketCache.Resend.MISS);
    }

    @Test
    void theRoundTripComesFromReceiverReportsAndIgnoresNonsense() {
        RoundTripTime rtt = new RoundTripTime();
        assertThat(rtt.nanos()).isEqualTo(RoundTripTime.DEFAULT_NANOS);
        long sentNtp = 0x0000_1234_5678_0000L; // our SR's NTP time; LSR is its middle 32 bits
        long lsr = (sentNtp >>> 16) & 0xFFFF_FFFFL;
        long dlsr = 65_536 / 10; // the receiver held it 100 ms
        long now = sentNtp + (long) (0.130 * (1L << 32)); // 130 ms after our SR
        rtt.onReportBlock(lsr, dlsr, now);
        assertThat(rtt.nanos()).isBetween(29 * MS, 31 * MS);
        rtt.onReportBlock(0, 0, now); // no SR seen yet by the receiver
        rtt.onReportBlock(lsr, 65_536L * 20, now); // a DLSR longer than the time since: negative
        assertThat(rtt.nanos()).isBetween(29 * MS, 31 * MS);
    }

    @Test
    void resendsStayWithinAQuarterOfWhatASubscriberIsSent() {
        RetransmitBudget budget = new RetransmitBudget();
        int taken = 0;
        while (budget.tryTake()) {
            taken++;
        }
        assertThat(taken).as("the initial allowance").isEqualTo(RetransmitBudget.MAX_SAVED / 4);
        for (int i = 0; i < 400; i++) {
            budget.onForwarded();
        }
        taken = 0;
        while (budget.tryTake()) {
            taken++;
        }
        assertThat(taken).isEqualTo(400 / RetransmitBudget.PACKETS_PER_RESEND);
    }
}
