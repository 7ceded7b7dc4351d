package org.steno.pipeline.speech;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamTimelineTest {

    static AudioPiece piece(long segment, long mediaMs, int ms) {
        return new AudioPiece(segment, mediaMs, new byte[ms * 32], false);
    }

    @Test
    void offsetsMapBackAcrossTheSilenceThatWasNeverSent() {
        StreamTimeline t = new StreamTimeline();
        t.append(piece(5000, 5000, 20));
        t.append(piece(5000, 5020, 980)); // continuous: no new anchor
        t.append(piece(9000, 9000, 500)); // a new segment 3 s later, at stream offset 1000
        assertThat(t.media(0)).isEqualTo(5000);
        assertThat(t.media(700)).isEqualTo(5700);
        assertThat(t.media(1000)).as("a start at the discontinuity is in the new stretch").isEqualTo(9000);
        assertThat(t.mediaOfEnd(1000)).as("an end at the discontinuity is in the old one").isEqualTo(6000);
        assertThat(t.mediaOfEnd(1200)).isEqualTo(9200);
        assertThat(t.segmentAt(999)).isEqualTo(5000);
        assertThat(t.segmentAt(1000)).isEqualTo(9000);
    }

    @Test
    void aJumpInMediaTimeWithinASegmentIsADiscontinuityToo() {
        StreamTimeline t = new StreamTimeline();
        t.append(piece(0, 0, 100));
        t.append(piece(0, 400, 100)); // frames lost in between
        assertThat(t.media(150)).isEqualTo(450);
        assertThat(t.mediaOfEnd(100)).isEqualTo(100);
    }
}
