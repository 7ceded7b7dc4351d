package org.steno.conference.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SR/RR/PLI/FIR/NACK build and parse (RFC 3550, RFC 4585, RFC 5104), compound packets, bad framing. */
class RtcpTest {

    @Test
    void compoundSenderReportPliFirAndNackRoundTrip() {
        byte[] sr = RtcpWriter.senderReport(0x01020304L, 0xAABBCCDD11223344L, 90000, 10, 1000);
        byte[] pli = RtcpWriter.pli(1, 0xDEADBEEFL);
        byte[] fir = RtcpWriter.fir(1, 0xFEEDL, 7);
        byte[] nack = RtcpWriter.nack(1, 0xCAFEL, List.of(100, 101, 103, 116, 117, 65535));
        byte[] compound = RtcpWriter.concat(sr, pli, fir, nack);
        List<RtcpPacket> l = RtcpPacket.parseCompound(compound, 0, compound.length);
        assertThat(l).hasSize(4);
        RtcpPacket.SenderReport s = (RtcpPacket.SenderReport) l.get(0);
        assertThat(s.senderSsrc()).isEqualTo(0x01020304L);
        assertThat(s.ntpTimestamp()).isEqualTo(0xAABBCCDD11223344L);
        assertThat(s.rtpTimestamp()).isEqualTo(90000);
        assertThat(s.packetCount()).isEqualTo(10);
        assertThat(((RtcpPacket.Pli) l.get(1)).mediaSsrc()).isEqualTo(0xDEADBEEFL);
        assertThat(((RtcpPacket.Fir) l.get(2)).ssrcs()).containsExactly(0xFEEDL);
        RtcpPacket.Nack n = (RtcpPacket.Nack) l.get(3);
        assertThat(n.mediaSsrc()).isEqualTo(0xCAFEL);
        assertThat(n.lost()).containsExactlyInAnyOrder(100, 101, 103, 116, 117, 65535);
    }

    @Test
    void receiverReportBlocksRoundTrip() {
        var block = new RtcpPacket.ReportBlock(42, 25, -3, 70000, 12, 0x11112222L, 65536);
        byte[] rr = RtcpWriter.receiverReport(9, List.of(block));
        RtcpPacket.ReceiverReport r = (RtcpPacket.ReceiverReport) RtcpPacket.parseCompound(rr, 0, rr.length).get(0);
        assertThat(r.senderSsrc()).isEqualTo(9);
        assertThat(r.blocks()).containsExactly(block);
    }

    @Test
    void rembIsReadWithItsExponentAndSsrcs() {
        // Chromium's REMB: PSFB fmt 15, media SSRC 0, "REMB", 1 SSRC, exponent 3, mantissa 150000 → 1.2 Mb/s.
        long mantissa = 150_000;
        byte[] remb = {(byte) 0x8F, (byte) 206, 0, 5, 0, 0, 0, 9, 0, 0, 0, 0, 'R', 'E', 'M', 'B', 1,
            (byte) ((3 << 2) | (mantissa >>> 16)), (byte) (mantissa >>> 8), (byte) mantissa, 0, 0, 0x30, 0x39};
        RtcpPacket.Remb r = (RtcpPacket.Remb) RtcpPacket.parseCompound(remb, 0, remb.length).get(0);
        assertThat(r.senderSsrc()).isEqualTo(9);
        assertThat(r.bitsPerSecond()).isEqualTo(1_200_000);
        assertThat(r.ssrcs()).containsExactly(12345L);
        byte[] short1 = remb.clone();
        short1[16] = 3; // claims 3 SSRCs in room for 1
        assertThatThrownBy(() -> RtcpPacket.parseCompound(short1, 0, short1.length))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] other = remb.clone();
        other[12] = 'X'; // another application-layer feedback: not a REMB
        assertThat(RtcpPacket.parseCompound(other, 0, other.length).get(0)).isInstanceOf(RtcpPacket.Other.class);
    }

    @Test
    void badFramingIsRefused() {
        byte[] pli = RtcpWriter.pli(1, 2);
        assertThatThrownBy(() -> RtcpPacket.parseCompound(pli, 0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RtcpPacket.parseCompound(pli, 0, 8)).isInstanceOf(IllegalArgumentException.class);
        byte[] v1 = pli.clone();
        v1[0] = 0x41;
        assertThatThrownBy(() -> RtcpPacket.parseCompound(v1, 0, v1.length))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] rrCountTooBig = RtcpWriter.receiverReport(1, List.of());
        rrCountTooBig[0] = (byte) 0x85; // claims 5 blocks in 8 bytes
        assertThatThrownBy(() -> RtcpPacket.parseCompound(rrCountTooBig, 0, rrCountTooBig.length))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
