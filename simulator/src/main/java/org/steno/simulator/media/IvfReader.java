package org.steno.simulator.media;

import java.util.ArrayList;
import java.util.List;

/** The VP8 frames of an IVF file: a 32-byte file header, then a 12-byte header (size, pts) before each frame. */
final class IvfReader {

    private IvfReader() {
    }

    static List<MediaFiles.Vp8Frame> frames(byte[] ivf) {
        if (ivf.length < 32 || ivf[0] != 'D' || ivf[1] != 'K' || ivf[2] != 'I' || ivf[3] != 'F'
                || ivf[8] != 'V' || ivf[9] != 'P' || ivf[10] != '8') {
            throw new IllegalArgumentException("not a VP8 IVF file");
        }
        int headerLength = (ivf[6] & 0xFF) | (ivf[7] & 0xFF) << 8;
        List<MediaFiles.Vp8Frame> out = new ArrayList<>();
        int p = headerLength;
        while (p + 12 <= ivf.length) {
            int size = (ivf[p] & 0xFF) | (ivf[p + 1] & 0xFF) << 8 | (ivf[p + 2] & 0xFF) << 16 | (ivf[p + 3] & 0xFF) << 24;
            p += 12;
            if (size <= 0 || p + size > ivf.length) {
                throw new IllegalArgumentException("truncated IVF frame at byte " + (p - 12));
            }
            byte[] frame = java.util.Arrays.copyOfRange(ivf, p, p + size);
            // VP8 frame tag (RFC 6386 §9.1): bit 0 of the first byte is 0 on a key frame.
            out.add(new MediaFiles.Vp8Frame(frame, (frame[0] & 0x01) == 0));
            p += size;
        }
        if (out.isEmpty() || !out.get(0).keyframe()) {
            throw new IllegalArgumentException("the IVF file must start with a key frame");
        }
        return out;
    }
}
