package org.steno.recorder.ogg;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one logical Ogg bitstream (RFC 3533): packets are laced into pages; a page is flushed
 * when asked or when it holds about a second of packets, so a reader never waits long.
 */
public final class OggPageWriter {

    private static final int MAX_SEGMENTS = 255;
    private static final int[] CRC_TABLE = crcTable();

    private final OutputStream out;
    private final int serial;
    private int pageSequence;
    private boolean firstPage = true;
    private final List<byte[]> pending = new ArrayList<>();
    private int pendingSegments;
    private long pendingGranule = -1;

    public OggPageWriter(OutputStream out, int serial) {
        this.out = out;
        this.serial = serial;
    }

    /**
     * Adds a packet that ends at {@code granule}. Packets larger than one page's lacing budget are
     * not expected here (Opus packets are at most 1275 bytes × 6 frames), so one packet always
     * fits one page.
     */
    public void packet(byte[] data, long granule) throws IOException {
        int segments = data.length / 255 + 1;
        if (segments > MAX_SEGMENTS) {
            throw new IOException("packet of " + data.length + " bytes does not fit one Ogg page");
        }
        if (pendingSegments + segments > MAX_SEGMENTS) {
            flush(false);
        }
        pending.add(data);
        pendingSegments += segments;
        pendingGranule = granule;
    }

    /** Writes the buffered packets as one page (a header packet gets a page of its own this way). */
    public void flush(boolean endOfStream) throws IOException {
        if (pending.isEmpty() && !endOfStream) {
            return;
        }
        int bodyLength = 0;
        for (byte[] p : pending) {
            bodyLength += p.length;
        }
        byte[] page = new byte[27 + pendingSegments + bodyLength];
        page[0] = 'O';
        page[1] = 'g';
        page[2] = 'g';
        page[3] = 'S';
        page[4] = 0;
        page[5] = (byte) ((firstPage ? 0x02 : 0) | (endOfStream ? 0x04 : 0));
        long granule = pending.isEmpty() ? Math.max(pendingGranule, 0) : pendingGranule;
        putLong(page, 6, granule);
        putInt(page, 14, serial);
        putInt(page, 18, pageSequence++);
        page[26] = (byte) pendingSegments;
        int lace = 27;
        int body = 27 + pendingSegments;
        for (byte[] p : pending) {
            int remaining = p.length;
            while (remaining >= 255) {
                page[lace++] = (byte) 255;
                remaining -= 255;
            }
            page[lace++] = (byte) remaining;
            System.arraycopy(p, 0, page, body, p.length);
            body += p.length;
        }
        putInt(page, 22, crc(page));
        out.write(page);
        firstPage = false;
        pending.clear();
        pendingSegments = 0;
    }

    /** True while packets wait for a page. */
    public boolean hasPending() {
        return !pending.isEmpty();
    }

    static int crc(byte[] page) {
        int crc = 0;
        for (byte b : page) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ (b & 0xff)) & 0xff];
        }
        return crc;
    }

    private static int[] crcTable() {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int j = 0; j < 8; j++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04c11db7 : r << 1;
            }
            t[i] = r;
        }
        return t;
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    private static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) v);
        putInt(b, off + 4, (int) (v >>> 32));
    }
}
