package org.steno.conference.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ChatLogTest {

    private final ChatLog log = new ChatLog(Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void messagesAreKeptInOrderAndHandedOverWhenTheMeetingEnds() throws Exception {
        ChatMessage a = log.post("m1", "p1", "Alice", "  Hello <b>all</b>  ", 1200);
        ChatMessage b = log.post("m1", "p2", "Bob", "line one\nline two", 3400);
        log.post("m2", "p9", "Zoe", "elsewhere", 10);
        assertThat(a.seq()).isEqualTo(1);
        assertThat(a.text()).as("kept as typed, stripped; the page escapes it").isEqualTo("Hello <b>all</b>");
        assertThat(b.seq()).isEqualTo(2);
        assertThat(log.recent("m1")).extracting(ChatMessage::text).containsExactly("Hello <b>all</b>", "line one\nline two");
        ChatLog.Ended ended = log.end("m1");
        assertThat(ended.messages()).hasSize(2);
        assertThat(ended.dropped()).isZero();
        assertThat(log.recent("m1")).isEmpty();
        assertThat(log.end("m1").messages()).as("handed over once").isEmpty();
        assertThat(log.recent("m2")).hasSize(1);
    }

    @Test
    void emptyHugeAndControlCharacterMessagesAreRefusedWithASentence() {
        assertThatThrownBy(() -> log.post("m1", "p1", "A", "   ", 0)).hasMessageContaining("1 to 2000");
        assertThatThrownBy(() -> log.post("m1", "p1", "A", null, 0)).hasMessageContaining("1 to 2000");
        assertThatThrownBy(() -> log.post("m1", "p1", "A", "x".repeat(2001), 0)).hasMessageContaining("1 to 2000");
        assertThatThrownBy(() -> log.post("m1", "p1", "A", "bell\u0007", 0)).hasMessageContaining("control characters");
        assertThat(log.recent("m1")).isEmpty();
    }

    @Test
    void aParticipantFloodingTheChatIsSlowedDownAndOthersAreNot() throws Exception {
        for (int i = 0; i < 5; i++) {
            log.post("m1", "p1", "A", "burst " + i, 0);
        }
        assertThatThrownBy(() -> log.post("m1", "p1", "A", "one too many", 0))
                .isInstanceOfSatisfying(ChatLog.Refused.class, e -> assertThat(e.code).isEqualTo("rate-limited"));
        assertThat(log.post("m1", "p2", "B", "I can still talk", 0).seq()).isEqualTo(6);
    }

    @Test
    void theHistoryAPageGetsIsTheLastFifty() throws Exception {
        for (int i = 0; i < 60; i++) {
            log.post("m1", "p" + i, "P" + i, "message " + i, i);
        }
        assertThat(log.recent("m1")).hasSize(ChatLog.HISTORY).first().extracting(ChatMessage::text).isEqualTo("message 10");
    }
}
