package org.steno.conference.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 7741 §4.2 payload descriptors as libwebrtc writes them, and the RFC 6386 §9.1 keyframe header. */
class Vp8DescriptorTest {

    /** A keyframe's first packet: X, S, picture id 15 bits, TL0PICIDX, TID 0, then a 640×360 keyframe header. */
    static byte[] keyframeStart(int pictureId, int tl0, int width, int height) {
        return new byte[] {(byte) 0x90, (byte) 0xE0, (byte) (0x80 | (pictureId >>> 8)), (byte) pictureId, (byte) tl0,
            0x20, // TID 0, Y 1
            0x10, 0x02, 0x00, (byte) 0x9D, 0x01, 0x2A, (byte) width, (byte) (width >>> 8), (byte) height,
            (byte) (height >>> 8), 0x55};
    }

    @Test
    void readsAKeyframeStartWithPictureIdTl0AndSize() {
        byte[] p = keyframeStart(0x1234, 77, 640, 360);
        Vp8Descriptor d = Vp8Descriptor.parse(p, 0, p.length);
        assertThat(d.startOfFrame()).isTrue();
        assertThat(d.keyframe()).isTrue();
        assertThat(d.pictureIdBits()).isEqualTo(15);
        assertThat(d.pictureId()).isEqualTo(0x1234);
        assertThat(d.pictureIdOffset()).isEqualTo(2);
        assertThat(d.tl0PicIdx()).isEqualTo(77);
        assertThat(d.tl0PicIdxOffset()).isEqualTo(4);
        assertThat(d.temporalId()).isEqualTo(0);
        assertThat(d.width()).isEqualTo(640);
        assertThat(d.height()).isEqualTo(360);
    }

    @Test
    void aDeltaFrameAndAContinuationPacketAreNotKeyframes() {
        byte[] delta = {(byte) 0x90, (byte) 0x80, 0x05, 0x01, 0x00, 0x00};
        Vp8Descriptor d = Vp8Descriptor.parse(delta, 0, delta.length);
        assertThat(d.startOfFrame()).isTrue();
        assertThat(d.keyframe()).as("P bit set").isFalse();
        assertThat(d.pictureIdBits()).isEqualTo(7);
        assertThat(d.pictureId()).isEqualTo(5);
        assertThat(d.tl0PicIdxOffset()).isEqualTo(-1);
        byte[] middle = keyframeStart(9, 1, 320, 180);
        middle[0] = (byte) 0x80; // S=0: a later packet of the same keyframe
        Vp8Descriptor m = Vp8Descriptor.parse(middle, 0, middle.length);
        assertThat(m.startOfFrame()).isFalse();
        assertThat(m.keyframe()).isFalse();
        assertThat(m.width()).isZero();
    }

    @Test
    void aDescriptorWithoutExtensionsHasNoPictureId() {
        byte[] p = {0x10, 0x00, 0x00, 0x00};
        Vp8Descriptor d = Vp8Descriptor.parse(p, 0, p.length);
        assertThat(d.pictureIdOffset()).isEqualTo(-1);
        assertThat(d.keyframe()).isTrue();
        assertThat(d.width()).as("too short for a keyframe header").isZero();
    }

    @Test
    void truncatedDescriptorsAreRefusedNotReadPastTheEnd() {
        assertThat(Vp8Descriptor.parse(new byte[0], 0, 0)).isNull();
        assertThat(Vp8Descriptor.parse(new byte[] {(byte) 0x90}, 0, 1)).as("X without its byte").isNull();
        assertThat(Vp8Descriptor.parse(new byte[] {(byte) 0x90, (byte) 0x80}, 0, 2)).as("I without a picture id").isNull();
        assertThat(Vp8Descriptor.parse(new byte[] {(byte) 0x90, (byte) 0x80, (byte) 0x81}, 0, 3)).as("M without its second byte").isNull();
        assertThat(Vp8Descriptor.parse(new byte[] {(byte) 0x90, (byte) 0x40}, 0, 2)).as("L without TL0PICIDX").isNull();
        assertThat(Vp8Descriptor.parse(new byte[] {(byte) 0x90, (byte) 0x20}, 0, 2)).as("T without TID").isNull();
        byte[] inside = {0x00, 0x00, (byte) 0x90, (byte) 0x80};
        assertThat(Vp8Descriptor.parse(inside, 2, 2)).as("bounded by the given length").isNull();
    }
}
