package org.steno.recorder.track;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Frames out of RFC 7741 payloads: what padding between them does and does not hide. */
class Vp8DepacketizerTest {

    /** One-packet frames: descriptor byte S=1, PID=0, then the VP8 frame's first bytes. */
    private static byte[] keyframe() {
        // frame tag with the key bit clear, start code 9d 01 2a, 320×240
        return new byte[] {0x10, 0x00, 0x00, 0x00, (byte) 0x9d, 0x01, 0x2a, 0x40, 0x01, (byte) 0xf0, 0x00, 1, 2, 3};
    }

    private static byte[] delta() {
        return new byte[] {0x10, 0x01, 0x00, 0x00, 7, 7, 7, 7};
    }

    private static final byte[] PADDING = new byte[0];

    @Test
    void paddingBetweenFramesIsNotALoss() {
        Vp8Depacketizer d = new Vp8Depacketizer();
        assertThat(d.push(1, 0, true, keyframe(), 0).keyframe()).isTrue();
        assertThat(d.push(2, 3000, false, PADDING, 0)).isNull();
        assertThat(d.push(3, 3000, false, PADDING, 0)).isNull();
        Vp8Depacketizer.Frame f = d.push(4, 3000, true, delta(), 0);
        assertThat(f).as("the delta frame after padding").isNotNull();
        assertThat(f.keyframe()).isFalse();
        assertThat(d.needsKeyframe()).isFalse();
        assertThat(d.dropped()).isZero();
    }

    @Test
    void aFrameLostBeforePaddingIsStillALoss() {
        Vp8Depacketizer d = new Vp8Depacketizer();
        assertThat(d.push(1, 0, true, keyframe(), 0)).isNotNull();
        // seq 2, a whole one-packet delta frame, is lost; seq 3 is padding
        assertThat(d.push(3, 6000, false, PADDING, 0)).isNull();
        assertThat(d.needsKeyframe()).as("the gap before the padding").isTrue();
        assertThat(d.push(4, 9000, true, delta(), 0)).as("it refers to the lost frame").isNull();
        assertThat(d.push(5, 12000, true, keyframe(), 0)).as("the next keyframe starts again").isNotNull();
        assertThat(d.needsKeyframe()).isFalse();
    }
}
