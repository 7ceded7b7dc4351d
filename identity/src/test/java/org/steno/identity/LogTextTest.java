package org.steno.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void controlCharactersBecomeVisibleEscapes() {
        assertThat(LogText.escape("a\r\nb\tc")).isEqualTo("a\\r\\nb\\tc");
        assertThat(LogText.escape("\u0000\u001b\u007f\u0085\u2028\u2029"))
                .isEqualTo("\\u0000\\u001b\\u007f\\u0085\\u2028\\u2029");
    }

    @Test
    void backslashIsEscapedSoTheResultIsUnambiguous() {
        assertThat(LogText.escape("a\\nb")).isEqualTo("a\\\\nb");
        assertThat(LogText.escape("a\\nb")).isNotEqualTo(LogText.escape("a\nb"));
    }

    @Test
    void ordinaryTextIsUnchanged() {
        String text = "Zoë O'Brien, \"host\" | ünïcødé ✓ 会议";
        assertThat(LogText.escape(text)).isSameAs(text);
        assertThat(LogText.escape(null)).isEmpty();
    }
}
