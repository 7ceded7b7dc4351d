package org.steno.conference.media.rtcp;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Builds the RTCP packets the SFU sends: SR, RR, PLI, FIR, NACK. Concatenate results for a compound packet. */
public final class RtcpWriter {

    private RtcpWriter() {
    }

    public static byte[] senderReport(long ssrc, long ntp, long rtpTs, long packets, long octets) {
        byte[] b = header(0, RtcpPacket.SR, 28);
        putInt(b, 4, ssrc);
        putInt(b, 8, ntp >>> 32);
        putInt(b, 12, ntp);
        putInt(b, 16, rtpTs);
        putInt(b, 20, packets);
        putInt(b, 24, octets);
        return b;
    }

    public static byte[] receiverReport(long senderSsrc, List<RtcpPacket.ReportBlock> blocks) {
        int n = Math.min(31, blocks.size());
        byte[] b = header(n, RtcpPacket.RR, 8 + 24 * n);
        putInt(b, 4, senderSsrc);
        for (int i = 0; i < n; i++) {
            RtcpPacket.ReportBlock r = blocks.get(i);
            int q = 8 + 24 * i;
            putInt(b, q, r.ssrc());
            b[q + 4] = (byte) r.fractionLost();
            int cum = Math.max(-0x800000, Math.min(0x7FFFFF, r.cumulativeLost()));
            b[q + 5] = (byte) (cum >>> 16);
            b[q + 6] = (byte) (cum >>> 8);
            b[q + 7] = (byte) cum;
            putInt(b, q + 8, r.highestSeq());
            putInt(b, q + 12, r.jitter());
            putInt(b, q + 16, r.lastSr());
            putInt(b, q + 20, r.delaySinceLastSr());
        }
        return b;
    }

    public static byte[] pli(long senderSsrc, long mediaSsrc) {
        byte[] b = header(1, RtcpPacket.PSFB, 12);
        putInt(b, 4, senderSsrc);
        putInt(b, 8, mediaSsrc);
        return b;
    }

    public static byte[] fir(long senderSsrc, long mediaSsrc, int seqNr) {
        byte[] b = header(4, RtcpPacket.PSFB, 20);
        putInt(b, 4, senderSsrc);
        putInt(b, 12, mediaSsrc);
        b[16] = (byte) seqNr;
        return b;
    }

    /** Generic NACK packing the lost sequence numbers into PID/BLP pairs. */
    public static byte[] nack(long senderSsrc, long mediaSsrc, List<Integer> lost) {
        SortedSet<Integer> sorted = new TreeSet<>(lost);
        ByteArrayOutputStream fci = new ByteArrayOutputStream();
        Integer pid = null;
        int blp = 0;
        for (int seq : sorted) {
            if (pid != null && seq - pid >= 1 && seq - pid <= 16) {
                blp |= 1 << (seq - pid - 1);
                continue;
            }
            if (pid != null) {
                writePair(fci, pid, blp);
            }
            pid = seq;
            blp = 0;
        }
        if (pid != null) {
            writePair(fci, pid, blp);
        }
        byte[] f = fci.toByteArray();
        byte[] b = header(1, RtcpPacket.RTPFB, 12 + f.length);
        putInt(b, 4, senderSsrc);
        putInt(b, 8, mediaSsrc);
        System.arraycopy(f, 0, b, 12, f.length);
        return b;
    }

    private static void writePair(ByteArrayOutputStream o, int pid, int blp) {
        o.write(pid >>> 8);
        o.write(pid);
        o.write(blp >>> 8);
        o.write(blp);
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] header(int count, int type, int totalLen) {
        byte[] b = new byte[totalLen];
        b[0] = (byte) (0x80 | count);
        b[1] = (byte) type;
        int words = totalLen / 4 - 1;
        b[2] = (byte) (words >>> 8);
        b[3] = (byte) words;
        return b;
    }

    static void putInt(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
