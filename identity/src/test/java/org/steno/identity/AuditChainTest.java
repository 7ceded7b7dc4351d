package org.steno.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditChainTest {

    private static final Instant T = Instant.parse("2025-03-01T10:00:00Z");

    private static String h(String subject, String role) {
        return AuditChain.hash(1, T, subject, role, "", "JOIN", "r", Outcome.ALLOWED, "", AuditEntry.GENESIS);
    }

    @Test
    void lengthPrefixesKeepShiftedSeparatorsApart() {
        assertThat(h("a|b", "c")).isNotEqualTo(h("a", "b|c"));
        assertThat(h("ab", "")).isNotEqualTo(h("a", "b"));
        assertThat(h("", "ab")).isNotEqualTo(h("ab", ""));
    }

    @Test
    void everyFieldIsCovered() {
        String base = AuditChain.hash(1, T, "s", "r", "a", "x", "res", Outcome.ALLOWED, "why", AuditEntry.GENESIS);
        assertThat(base).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(AuditChain.hash(1, T, "s", "r", "a", "x", "res", Outcome.ALLOWED, "why", AuditEntry.GENESIS))
                .as("deterministic").isEqualTo(base);
        assertThat(new String[] {
                AuditChain.hash(2, T, "s", "r", "a", "x", "res", Outcome.ALLOWED, "why", AuditEntry.GENESIS),
                AuditChain.hash(1, T.plusMillis(1), "s", "r", "a", "x", "res", Outcome.ALLOWED, "why", AuditEntry.GENESIS),
                AuditChain.hash(1, T, "S", "r", "a", "x", "res", Outcome.ALLOWED, "why", AuditEntry.GENESIS),
                AuditChain.hash(1, T, "s", "R", "a", "x", "res", Outcome.ALLOWED, "why", AuditEntry.GENESIS),
                AuditChain.hash(1, T, "s", "r", "A", "x", "res", Outcome.ALLOWED, "why", AuditEntry.GENESIS),
                AuditChain.hash(1, T, "s", "r", "a", "X", "res", Outcome.ALLOWED, "why", AuditEntry.GENESIS),
                AuditChain.hash(1, T, "s", "r", "a", "x", "RES", Outcome.ALLOWED, "why", AuditEntry.GENESIS),
                AuditChain.hash(1, T, "s", "r", "a", "x", "res", Outcome.DENIED, "why", AuditEntry.GENESIS),
                AuditChain.hash(1, T, "s", "r", "a", "x", "res", Outcome.ALLOWED, "WHY", AuditEntry.GENESIS),
                AuditChain.hash(1, T, "s", "r", "a", "x", "res", Outcome.ALLOWED, "why", "1".repeat(64)),
        }).doesNotContain(base).doesNotHaveDuplicates();
    }

    @Test
    void firstEntryMustStartFromGenesis() {
        String prev = "f".repeat(64);
        String hash = AuditChain.hash(1, T, "s", "", "", "x", "r", Outcome.ALLOWED, "", prev);
        VerifyResult r = AuditChain.verify(java.util.List.of(
                new AuditEntry(1, T, "s", "", "", "x", "r", Outcome.ALLOWED, "", prev, hash)));
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).isEqualTo("entry 1 does not start the chain: its previous hash is not 64 zeros");
        assertThat(AuditChain.verify(java.util.List.of()).message()).isEqualTo("the log is empty");
    }
}
