package org.steno.simulator.media;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The Opus packets of an Ogg Opus file (RFC 7845): pages are walked by their segment tables, packets are joined
 * across lacing values of 255, and the two header packets (OpusHead, OpusTags) are left out.
 */
final class OggOpusReader {

    private OggOpusReader() {
    }

    static List<byte[]> packets(byte[] ogg) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        int p = 0;
        while (p + 27 <= ogg.length) {
            if (ogg[p] != 'O' || ogg[p + 1] != 'g' || ogg[p + 2] != 'g' || ogg[p + 3] != 'S') {
                throw new IllegalArgumentException("not an Ogg page at byte " + p);
            }
            int segments = ogg[p + 26] & 0xFF;
            int data = p + 27 + segments;
            for (int i = 0; i < segments; i++) {
                int lace = ogg[p + 27 + i] & 0xFF;
                if (data + lace > ogg.length) {
                    throw new IllegalArgumentException("truncated Ogg page at byte " + p);
                }
                packet.write(ogg, data, lace);
                data += lace;
                if (lace < 255) {
                    out.add(packet.toByteArray());
                    packet.reset();
                }
            }
            p = data;
        }
        if (out.size() < 3 || !startsWith(out.get(0), "OpusHead")) {
            throw new IllegalArgumentException("not an Ogg Opus file");
        }
        return new ArrayList<>(out.subList(2, out.size()));
    }

    private static boolean startsWith(byte[] b, String s) {
        if (b.length < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
