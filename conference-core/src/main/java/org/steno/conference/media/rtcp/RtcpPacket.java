package org.steno.conference.media.rtcp;

import java.util.ArrayList;
import java.util.List;

/** The RTCP packets the SFU acts on, parsed from a compound packet (RFC 3550, RFC 4585, RFC 5104). */
public sealed interface RtcpPacket {

    int SR = 200;
    int RR = 201;
    int SDES = 202;
    int BYE = 203;
    int RTPFB = 205;
    int PSFB = 206;

    /** A sender report: who sent it and the NTP/RTP time pair. */
    record SenderReport(long senderSsrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount,
                        List<ReportBlock> blocks) implements RtcpPacket {
    }

    record ReceiverReport(long senderSsrc, List<ReportBlock> blocks) implements RtcpPacket {
    }

    /** One report block: about media SSRC {@code ssrc}. */
    record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long highestSeq, long jitter, long lastSr,
                       long delaySinceLastSr) {
    }

    /** Picture loss indication for {@code mediaSsrc}. */
    record Pli(long senderSsrc, long mediaSsrc) implements RtcpPacket {
    }

    /** Full intra request (one FCI entry per requested SSRC). */
    record Fir(long senderSsrc, List<Long> ssrcs, List<Integer> seqNrs) implements RtcpPacket {
    }

    /** Generic NACK: lost sequence numbers of {@code mediaSsrc}. */
    record Nack(long senderSsrc, long mediaSsrc, List<Integer> lost) implements RtcpPacket {
    }

    /** Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb): what the receiver can take, for these SSRCs. */
    record Remb(long senderSsrc, long bitsPerSecond, List<Long> ssrcs) implements RtcpPacket {
    }

    record Bye(List<Long> ssrcs) implements RtcpPacket {
    }

    /** Anything else (SDES, REMB, TWCC, XR, ...): kept as type/format only. */
    record Other(int type, int format) implements RtcpPacket {
    }

    /**
     * Parses a compound RTCP packet.
     *
     * @throws IllegalArgumentException with a short reason when the framing is wrong (lengths, version)
     */
    static List<RtcpPacket> parseCompound(byte[] b, int off, int len) {
        List<RtcpPacket> out = new ArrayList<>(2);
        int p = off;
        int end = off + len;
        if (len < 4) {
            throw new IllegalArgumentException("RTCP shorter than a header");
        }
        while (p < end) {
            if (p + 4 > end) {
                throw new IllegalArgumentException("truncated RTCP header");
            }
            if ((b[p] & 0xC0) != 0x80) {
                throw new IllegalArgumentException("RTCP version is not 2");
            }
            int count = b[p] & 0x1F;
            int type = b[p + 1] & 0xFF;
            int plen = 4 * (u16(b, p + 2) + 1);
            if (p + plen > end) {
                throw new IllegalArgumentException("RTCP length overruns the packet");
            }
            out.add(parseOne(b, p, plen, type, count));
            p += plen;
        }
        return out;
    }

    private static RtcpPacket parseOne(byte[] b, int p, int plen, int type, int count) {
        switch (type) {
            case SR: {
                need(plen, 28 + 24 * count);
                long sender = u32(b, p + 4);
                long ntp = (u32(b, p + 8) << 32) | u32(b, p + 12);
                return new SenderReport(sender, ntp, u32(b, p + 16), u32(b, p + 20), u32(b, p + 24),
                        blocks(b, p + 28, count));
            }
            case RR:
                need(plen, 8 + 24 * count);
                return new ReceiverReport(u32(b, p + 4), blocks(b, p + 8, count));
            case RTPFB:
                if (count == 1) {
                    need(plen, 12);
                    List<Integer> lost = new ArrayList<>();
                    for (int q = p + 12; q + 4 <= p + plen; q += 4) {
                        int pid = u16(b, q);
                        int blp = u16(b, q + 2);
                        lost.add(pid);
                        for (int i = 0; i < 16; i++) {
                            if ((blp & (1 << i)) != 0) {
                                lost.add((pid + i + 1) & 0xFFFF);
                            }
                        }
                    }
                    return new Nack(u32(b, p + 4), u32(b, p + 8), lost);
                }
                return new Other(type, count);
            case PSFB:
                if (count == 1) {
                    need(plen, 12);
                    return new Pli(u32(b, p + 4), u32(b, p + 8));
                }
                if (count == 4) {
                    need(plen, 12);
                    List<Long> ssrcs = new ArrayList<>();
                    List<Integer> seqs = new ArrayList<>();
                    for (int q = p + 12; q + 8 <= p + plen; q += 8) {
                        ssrcs.add(u32(b, q));
                        seqs.add(b[q + 4] & 0xFF);
                    }
                    return new Fir(u32(b, p + 4), ssrcs, seqs);
                }
                if (count == 15 && plen >= 20 && b[p + 12] == 'R' && b[p + 13] == 'E' && b[p + 14] == 'M'
                        && b[p + 15] == 'B') {
                    int n = b[p + 16] & 0xFF;
                    need(plen, 20 + 4 * n);
                    int exp = (b[p + 17] & 0xFC) >>> 2;
                    long mantissa = ((b[p + 17] & 0x03L) << 16) | ((b[p + 18] & 0xFFL) << 8) | (b[p + 19] & 0xFFL);
                    long bps = exp > 45 ? Long.MAX_VALUE : mantissa << exp; // 18 + 45 bits still fit a long
                    List<Long> ssrcs = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        ssrcs.add(u32(b, p + 20 + 4 * i));
                    }
                    return new Remb(u32(b, p + 4), bps, ssrcs);
                }
                return new Other(type, count);
            case BYE: {
                need(plen, 4 + 4 * count);
                List<Long> ssrcs = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    ssrcs.add(u32(b, p + 4 + 4 * i));
                }
                return new Bye(ssrcs);
            }
            default:
                return new Other(type, count);
        }
    }

    private static List<ReportBlock> blocks(byte[] b, int at, int count) {
        List<ReportBlock> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int q = at + 24 * i;
            int cum = ((b[q + 5] & 0xFF) << 16) | ((b[q + 6] & 0xFF) << 8) | (b[q + 7] & 0xFF);
            if ((cum & 0x800000) != 0) {
                cum |= 0xFF000000; // signed 24-bit
            }
            list.add(new ReportBlock(u32(b, q), b[q + 4] & 0xFF, cum, u32(b, q + 8), u32(b, q + 12),
                    u32(b, q + 16), u32(b, q + 20)));
        }
        return list;
    }

    private static void need(int have, int want) {
        if (have < want) {
            throw new IllegalArgumentException("RTCP packet too short for its count");
        }
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8)
                | (b[at + 3] & 0xFF);
    }

    /** True if the second byte is an RTCP packet type (RFC 5761 §4: 192–223 when muxed with RTP). */
    static boolean isRtcp(byte[] b, int off, int len) {
        if (len < 2) {
            return false;
        }
        int pt = b[off + 1] & 0xFF;
        return pt >= 192 && pt <= 223;
    }
}
