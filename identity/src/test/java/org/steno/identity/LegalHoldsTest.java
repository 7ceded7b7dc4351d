package org.steno.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;

class LegalHoldsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123456Z");

    private LegalHolds holds;

    @BeforeEach
    void open(TestDatabase t) {
        holds = new LegalHolds(t.db());
    }

    @OnBothDatabases
    void aHoldIsPlacedUpdatedAndReleased() {
        assertThat(holds.held("m-1")).isFalse();
        holds.place("m-1", "inquiry 2026-17", "local:auditor", T0);
        assertThat(holds.find("m-1")).contains(new LegalHolds.Hold("m-1", "inquiry 2026-17", "local:auditor",
                Instant.parse("2026-12-01T10:00:00.123Z")));
        holds.place("m-1", "inquiry 2026-17, extended", "local:boss", T0.plusSeconds(60));
        LegalHolds.Hold h = holds.find("m-1").orElseThrow();
        assertThat(h.reason()).isEqualTo("inquiry 2026-17, extended");
        assertThat(h.placedBy()).isEqualTo("local:boss");
        assertThat(h.placedAt()).as("held since the first placement").isEqualTo(Instant.parse("2026-12-01T10:00:00.123Z"));
        assertThat(holds.held("m-2")).isFalse();
        assertThat(holds.release("m-1")).isTrue();
        assertThat(holds.release("m-1")).isFalse();
        assertThat(holds.held("m-1")).isFalse();
    }
}
