package org.steno.recorder.track;

import java.io.ByteArrayOutputStream;

/**
 * Rebuilds VP8 frames from RTP payloads (RFC 7741): strips each payload descriptor and joins the
 * packets of one timestamp up to the marker bit. A frame with a missing or damaged packet is
 * dropped whole; so is every frame after it until a keyframe, since they would refer to a
 * picture the file does not have.
 */
final class Vp8Depacketizer {

    /** A complete frame. */
    record Frame(long rtpTimestamp, long mediaTime, byte[] data, boolean keyframe, int width, int height) {
    }

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private boolean inFrame;
    private boolean broken;
    private long frameTimestamp;
    private long frameMediaTime;
    private long lastSeq = Long.MIN_VALUE;
    private boolean waitingForKeyframe = true;
    private long dropped;

    /**
     * Takes the next packet in sequence order; returns a frame when one completes, else null.
     * {@link #needsKeyframe()} turns true when a loss was seen.
     */
    Frame push(long extSeq, long rtpTimestamp, boolean marker, byte[] payload, long mediaTime) {
        boolean contiguous = lastSeq == Long.MIN_VALUE || extSeq == lastSeq + 1;
        lastSeq = extSeq;
        if (payload.length == 0 && !inFrame) {
            // Padding only (a browser probing its bandwidth, often on a still shared screen): it takes
            // a sequence number between frames and carries nothing; not a loss in itself, but a gap
            // before it is one (a whole frame may be missing there).
            if (!contiguous) {
                lossSeen();
            }
            return null;
        }
        int header = descriptorLength(payload);
        boolean start = header > 0 && (payload[0] & 0x10) != 0 && (payload[0] & 0x07) == 0;
        if (inFrame && rtpTimestamp != frameTimestamp) {
            // The previous frame never saw its marker: its last packet is lost.
            dropFrame();
        }
        if (!inFrame) {
            if (!start || !contiguous) {
                if (!start) {
                    lossSeen();
                    return null;
                }
                lossSeen();
            }
            inFrame = true;
            broken = false;
            buffer.reset();
            frameTimestamp = rtpTimestamp;
            frameMediaTime = mediaTime;
        } else if (!contiguous || header <= 0) {
            broken = true;
        }
        if (header > 0) {
            buffer.write(payload, header, payload.length - header);
        }
        if (!marker) {
            return null;
        }
        inFrame = false;
        if (broken) {
            dropFrame();
            return null;
        }
        byte[] data = buffer.toByteArray();
        boolean key = data.length >= 10 && (data[0] & 0x01) == 0
                && (data[3] & 0xff) == 0x9d && (data[4] & 0xff) == 0x01 && (data[5] & 0xff) == 0x2a;
        if (data.length == 0 || (waitingForKeyframe && !key)) {
            dropped++;
            return null;
        }
        waitingForKeyframe = false;
        int width = key ? ((data[6] & 0xff) | (data[7] & 0xff) << 8) & 0x3fff : 0;
        int height = key ? ((data[8] & 0xff) | (data[9] & 0xff) << 8) & 0x3fff : 0;
        return new Frame(frameTimestamp, frameMediaTime, data, key, width, height);
    }

    private void dropFrame() {
        inFrame = false;
        dropped++;
        lossSeen();
    }

    private void lossSeen() {
        waitingForKeyframe = true;
    }

    /** Length of the RFC 7741 payload descriptor, or -1 when the payload is too short for it. */
    static int descriptorLength(byte[] p) {
        if (p.length < 1) {
            return -1;
        }
        int i = 1;
        if ((p[0] & 0x80) != 0) {
            if (p.length < 2) {
                return -1;
            }
            int x = p[1] & 0xff;
            i = 2;
            if ((x & 0x80) != 0) { // PictureID, 7 or 15 bits
                if (p.length <= i) {
                    return -1;
                }
                i += (p[i] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) { // TL0PICIDX
                i++;
            }
            if ((x & 0x30) != 0) { // TID/KEYIDX
                i++;
            }
        }
        return i <= p.length ? i : -1;
    }

    boolean needsKeyframe() {
        return waitingForKeyframe;
    }

    /** A new SSRC starts a new picture sequence: the next frame must be a keyframe. */
    void reset() {
        inFrame = false;
        lastSeq = Long.MIN_VALUE;
        waitingForKeyframe = true;
    }

    long dropped() {
        return dropped;
    }
}
