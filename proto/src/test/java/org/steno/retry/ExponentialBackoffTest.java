package org.steno.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {

    @Test
    void delaysDoubleUpToTheMaximumAndNeverOverflow() {
        ExponentialBackoff b = new ExponentialBackoff(Duration.ofMillis(250), Duration.ofSeconds(2));
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.delay(4)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> b.delay(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExponentialBackoff(Duration.ofSeconds(3), Duration.ofSeconds(2))).isInstanceOf(IllegalArgumentException.class);
    }
}
