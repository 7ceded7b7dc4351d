package org.steno.conference.media.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.steno.conference.media.DelaySummary;

class ForwardingDelayTest {

    private static final long MS = 1_000_000L;

    @Test
    void percentilesOfTheDelaysSinceTheLastRead() {
        ForwardingDelay delay = new ForwardingDelay();
        // 98 packets read 1 ms ago, one 20 ms ago and one 200 ms ago: p50 is the 1 ms, p99 the 20 ms, max the 200 ms.
        long now = System.nanoTime();
        for (int i = 0; i < 98; i++) {
            delay.sent(now - MS);
        }
        delay.sent(now - 20 * MS);
        delay.sent(now - 200 * MS);
        DelaySummary s = delay.sinceLastRead();
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50Nanos()).isBetween(MS, 5 * MS); // 1 ms plus however long this test took to get here
        assertThat(s.p99Nanos()).isBetween(20 * MS, 25 * MS);
        assertThat(s.maxNanos()).isBetween(200 * MS, 210 * MS);

        assertThat(delay.sinceLastRead()).as("each read takes its interval").isEqualTo(DelaySummary.NONE);
        delay.sent(System.nanoTime() - 3 * MS);
        assertThat(delay.sinceLastRead().count()).isEqualTo(1);
    }

    @Test
    void aClockThatSeemsToGoBackOrAMinuteLateIsClampedNotThrown() {
        ForwardingDelay delay = new ForwardingDelay();
        delay.sent(System.nanoTime() + 10 * MS); // an arrival "in the future"
        delay.sent(System.nanoTime() - 3_600_000 * MS); // an hour
        DelaySummary s = delay.sinceLastRead();
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.maxNanos()).isLessThanOrEqualTo(61_000 * MS);
    }
}
