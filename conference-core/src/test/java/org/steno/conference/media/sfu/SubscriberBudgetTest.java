package org.steno.conference.media.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bandwidth a subscriber is given: REMB while it is fresh, and the loss-based rule of GCC on its reports. */
class SubscriberBudgetTest {

    private static final long S = 1_000_000_000L;

    @Test
    void noSignalNoLimit() {
        assertThat(new SubscriberBudget().bitsPerSecond(0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rembCapsForFiveSeconds() {
        SubscriberBudget b = new SubscriberBudget();
        b.onRemb(300_000, 10 * S);
        assertThat(b.bitsPerSecond(11 * S)).isEqualTo(300_000);
        assertThat(b.bitsPerSecond(16 * S)).as("stale").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void sustainedLossCutsOneLossyReportDoesNot() {
        SubscriberBudget b = new SubscriberBudget();
        b.onLoss(64, 1_000_000); // 25 %, once: a burst
        assertThat(b.bitsPerSecond(0)).isEqualTo(Long.MAX_VALUE);
        b.onLoss(0, 1_000_000);
        b.onLoss(64, 1_000_000);
        b.onLoss(64, 1_000_000); // twice in a row: × (1 − 0.125)
        assertThat(b.bitsPerSecond(0)).isEqualTo(875_000);
        b.onLoss(13, 875_000); // 5 %: hold
        assertThat(b.bitsPerSecond(0)).isEqualTo(875_000);
    }

    @Test
    void lowLossGrowsItBackToNoLimit() {
        SubscriberBudget b = new SubscriberBudget();
        b.onLoss(128, 400_000);
        b.onLoss(128, 400_000);
        assertThat(b.bitsPerSecond(0)).isEqualTo(300_000);
        b.onLoss(0, 300_000);
        assertThat(b.bitsPerSecond(0)).isEqualTo(316_000);
        for (int i = 0; i < 20 && b.bitsPerSecond(0) != Long.MAX_VALUE; i++) {
            b.onLoss(0, 300_000);
        }
        assertThat(b.bitsPerSecond(0)).as("past twice what is sent: no longer a limit").isEqualTo(Long.MAX_VALUE);
    }
}
