package org.steno.recorder.ogg;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the packets of a single-stream Ogg file (as the recorder writes them), checking every
 * page's CRC: a torn or corrupt page ends the read instead of yielding garbage.
 */
public final class OggPacketReader {

    private OggPacketReader() {
    }

    /** Every complete packet, in order, up to the first damaged page. */
    public static List<byte[]> packets(byte[] file) throws IOException {
        List<byte[]> packets = new ArrayList<>();
        java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
        int pos = 0;
        while (pos + 27 <= file.length) {
            if (file[pos] != 'O' || file[pos + 1] != 'g' || file[pos + 2] != 'g' || file[pos + 3] != 'S') {
                throw new IOException("no Ogg page at byte " + pos);
            }
            int segments = file[pos + 26] & 0xff;
            int bodyStart = pos + 27 + segments;
            if (bodyStart > file.length) {
                break;
            }
            int bodyLength = 0;
            for (int i = 0; i < segments; i++) {
                bodyLength += file[pos + 27 + i] & 0xff;
            }
            if (bodyStart + bodyLength > file.length) {
                break;
            }
            byte[] page = java.util.Arrays.copyOfRange(file, pos, bodyStart + bodyLength);
            int stored = (page[22] & 0xff) | (page[23] & 0xff) << 8 | (page[24] & 0xff) << 16 | (page[25] & 0xff) << 24;
            page[22] = page[23] = page[24] = page[25] = 0;
            if (OggPageWriter.crc(page) != stored) {
                break;
            }
            int body = bodyStart;
            for (int i = 0; i < segments; i++) {
                int lace = file[pos + 27 + i] & 0xff;
                partial.write(file, body, lace);
                body += lace;
                if (lace < 255) {
                    packets.add(partial.toByteArray());
                    partial.reset();
                }
            }
            pos = bodyStart + bodyLength;
        }
        return packets;
    }
}
