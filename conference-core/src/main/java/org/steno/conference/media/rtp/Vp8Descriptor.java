package org.steno.conference.media.rtp;

/**
 * The VP8 payload descriptor (RFC 7741 §4.2) at the start of a VP8 RTP payload, and, on the first packet of a
 * keyframe, the frame size from the VP8 keyframe header (RFC 6386 §9.1). Offsets are relative to the payload start,
 * so a forwarder can rewrite the picture id and TL0PICIDX in place in its own copy.
 *
 * <pre>
 *  X|R|N|S|R|PID      then, if X: I|L|T|K|RSV
 *  I: M|PictureID (7 or 15 bits)   L: TL0PICIDX   T or K: TID|Y|KEYIDX
 * </pre>
 *
 * @param pictureIdOffset -1 when there is no picture id
 * @param pictureIdBits   7 or 15 (0 without a picture id)
 * @param tl0PicIdxOffset -1 when there is no TL0PICIDX
 * @param temporalId      the TID, or -1 without the T bit
 * @param startOfFrame    S=1 and partition index 0: the frame's first packet
 * @param keyframe        the first packet of a keyframe
 * @param width           keyframe width in pixels (0 when not a keyframe start)
 * @param height          keyframe height in pixels (0 when not a keyframe start)
 */
public record Vp8Descriptor(int pictureIdOffset, int pictureIdBits, int pictureId, int tl0PicIdxOffset, int tl0PicIdx,
                            int temporalId, boolean startOfFrame, boolean keyframe, int width, int height) {

    /** Parses the descriptor of a payload, or returns null when it is too short for what its bits announce. */
    public static Vp8Descriptor parse(byte[] b, int off, int len) {
        if (len < 1) {
            return null;
        }
        int p = off;
        int end = off + len;
        int first = b[p++] & 0xFF;
        boolean extended = (first & 0x80) != 0;
        boolean start = (first & 0x10) != 0 && (first & 0x07) == 0;
        int picOff = -1;
        int picBits = 0;
        int pic = 0;
        int tl0Off = -1;
        int tl0 = 0;
        int tid = -1;
        if (extended) {
            if (p >= end) {
                return null;
            }
            int x = b[p++] & 0xFF;
            if ((x & 0x80) != 0) { // I: picture id
                if (p >= end) {
                    return null;
                }
                picOff = p - off;
                if ((b[p] & 0x80) != 0) { // M: 15 bits
                    if (p + 1 >= end) {
                        return null;
                    }
                    picBits = 15;
                    pic = ((b[p] & 0x7F) << 8) | (b[p + 1] & 0xFF);
                    p += 2;
                } else {
                    picBits = 7;
                    pic = b[p] & 0x7F;
                    p++;
                }
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                if (p >= end) {
                    return null;
                }
                tl0Off = p - off;
                tl0 = b[p++] & 0xFF;
            }
            if ((x & 0x30) != 0) { // T or K: TID|Y|KEYIDX
                if (p >= end) {
                    return null;
                }
                if ((x & 0x20) != 0) {
                    tid = (b[p] & 0xC0) >>> 6;
                }
                p++;
            }
        }
        boolean keyframe = false;
        int width = 0;
        int height = 0;
        if (start && p < end) {
            keyframe = (b[p] & 0x01) == 0; // the P bit of the VP8 frame tag: 0 is a keyframe
            // keyframe header: 3-byte frame tag, start code 9d 01 2a, 14-bit width and height (little-endian)
            if (keyframe && p + 10 <= end && (b[p + 3] & 0xFF) == 0x9D && (b[p + 4] & 0xFF) == 0x01
                    && (b[p + 5] & 0xFF) == 0x2A) {
                width = ((b[p + 6] & 0xFF) | ((b[p + 7] & 0xFF) << 8)) & 0x3FFF;
                height = ((b[p + 8] & 0xFF) | ((b[p + 9] & 0xFF) << 8)) & 0x3FFF;
            }
        }
        return new Vp8Descriptor(picOff, picBits, pic, tl0Off, tl0, tid, start, keyframe, width, height);
    }
}
