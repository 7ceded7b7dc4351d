package org.steno.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TurnOverlapTest {

    record Turn(String who, long start, long end) {
    }

    static String of(long s, long e, List<Turn> turns, long nearest) {
        Turn t = TurnOverlap.turnOf(s, e, turns, Turn::start, Turn::end, nearest);
        return t == null ? null : t.who();
    }

    @Test
    void theTurnOverlappingMostWinsElseTheNearestWithinTheLimit() {
        List<Turn> turns = List.of(new Turn("a", 0, 1000), new Turn("b", 900, 3000), new Turn("c", 5000, 6000));
        assertThat(of(800, 1200, turns, 1000)).as("a overlaps 200 ms, b 300 ms").isEqualTo("b");
        assertThat(of(100, 300, turns, 1000)).isEqualTo("a");
        assertThat(of(3500, 3600, turns, 1000)).as("500 ms after b, 1400 before c").isEqualTo("b");
        assertThat(of(4100, 4200, turns, 500)).as("nothing within 500 ms").isNull();
        assertThat(of(4100, 4200, turns, Long.MAX_VALUE)).as("the nearest, however far").isEqualTo("c");
        assertThat(of(2000, 2000, turns, 0)).as("a zero-length word is a 1 ms one").isEqualTo("b");
        assertThat(of(0, 10, List.of(), Long.MAX_VALUE)).isNull();
    }
}
