package org.steno.conference.media.sfu;

import org.steno.conference.media.rtp.Vp8Descriptor;

/**
 * Keeps the VP8 picture id and TL0PICIDX (RFC 7741 §4.2) continuous on a down-track whose source changes: each
 * simulcast layer (and each publisher) counts its own, so after a switch the subscriber's decoder would see a jump
 * and, in libwebrtc, treat frames as missing. As {@link RtpMunger} does for sequence numbers: {@code out = in +
 * offset}, with new offsets at a switch so the first picture of the new source follows the last one sent. Rewrites
 * the subscriber's own copy of the packet in place. Not thread-safe (the down-track serialises).
 */
final class Vp8PictureMunger {

    private static final int PIC_MASK = 0x7FFF;

    private boolean rebase = true;
    private int picOffset;
    private int tl0Offset;
    /** The newest picture id and TL0PICIDX written (-1 before any). */
    private int lastPic = -1;
    private int lastTl0 = -1;

    /** The next packet starts another source (a layer switch or a new publisher on the slot). */
    void switchSource() {
        rebase = true;
    }

    /** Rewrites the descriptor of one outgoing packet whose VP8 payload starts at {@code payloadOff} in {@code out}. */
    void rewrite(byte[] out, int payloadOff, Vp8Descriptor d) {
        if (d == null) {
            return;
        }
        if (rebase) {
            picOffset = d.pictureIdOffset() < 0 || lastPic < 0 ? 0 : (lastPic + 1 - d.pictureId()) & PIC_MASK;
            tl0Offset = d.tl0PicIdxOffset() < 0 || lastTl0 < 0 ? 0 : (lastTl0 + 1 - d.tl0PicIdx()) & 0xFF;
            rebase = false;
        }
        if (d.pictureIdOffset() >= 0) {
            int pic = (d.pictureId() + picOffset) & PIC_MASK;
            int at = payloadOff + d.pictureIdOffset();
            if (d.pictureIdBits() == 15) {
                out[at] = (byte) (0x80 | (pic >>> 8));
                out[at + 1] = (byte) pic;
            } else {
                out[at] = (byte) (pic & 0x7F);
            }
            if (lastPic < 0 || newer(pic, lastPic, PIC_MASK)) {
                lastPic = pic; // counted in 15 bits; a 7-bit field carries its low bits
            }
        }
        if (d.tl0PicIdxOffset() >= 0) {
            int tl0 = (d.tl0PicIdx() + tl0Offset) & 0xFF;
            out[payloadOff + d.tl0PicIdxOffset()] = (byte) tl0;
            if (lastTl0 < 0 || newer(tl0, lastTl0, 0xFF)) {
                lastTl0 = tl0;
            }
        }
    }

    /** {@code a} is after {@code b} in a wrapping counter of {@code mask + 1} values (less than half way round). */
    private static boolean newer(int a, int b, int mask) {
        int diff = (a - b) & mask;
        return diff != 0 && diff < (mask + 1) / 2;
    }
}
