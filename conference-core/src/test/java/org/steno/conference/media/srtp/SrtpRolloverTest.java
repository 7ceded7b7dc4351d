package org.steno.conference.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rollover counter and replay protection around the 65535→0 wrap (the classic SRTP bug), with reordering, burst
 * loss and replays, for both profiles; and SRTCP per-sender indexes.
 */
class SrtpRolloverTest {

    private static SrtpContext[] pair(SrtpProfile p) {
        byte[] key = new byte[p.keyLength()];
        byte[] salt = new byte[p.saltLength()];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 1);
        }
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) (i * 13 + 5);
        }
        return new SrtpContext[] {new SrtpContext(p, key, salt), new SrtpContext(p, key, salt)};
    }

    static byte[] rtp(int seq, long ssrc, int payloadByte) {
        byte[] b = new byte[12 + 20];
        b[0] = (byte) 0x80;
        b[1] = 111;
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        b[8] = (byte) (ssrc >>> 24);
        b[9] = (byte) (ssrc >>> 16);
        b[10] = (byte) (ssrc >>> 8);
        b[11] = (byte) ssrc;
        Arrays.fill(b, 12, b.length, (byte) payloadByte);
        return b;
    }

    private static int open(SrtpContext rx, byte[] protectedPacket, byte[] expectedPlain) {
        byte[] b = protectedPacket.clone();
        int n = rx.unprotectRtp(b, 0, b.length);
        if (n > 0) {
            assertThat(Arrays.copyOf(b, n)).isEqualTo(expectedPlain);
        }
        return n;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void reorderedPacketsAcrossTheWrapDecrypt(SrtpProfile p) {
        SrtpContext[] c = pair(p);
        List<byte[]> plain = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        int[] seqs = {65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4, 5};
        for (int s : seqs) {
            byte[] pl = rtp(s, 0x1234, s & 0xFF);
            plain.add(pl);
            sent.add(c[0].protectRtp(pl, 0, pl.length));
        }
        // delivery order: wrap crossed by reordered packets
        int[] order = {0, 1, 2, 4, 6, 3, 5, 8, 7, 10, 9, 11};
        for (int i : order) {
            assertThat(open(c[1], sent.get(i), plain.get(i))).as("seq %d", seqs[i]).isGreaterThan(0);
        }
        // every one of them again is a replay
        for (int i : order) {
            assertThat(open(c[1], sent.get(i), plain.get(i))).isEqualTo(SrtpContext.REPLAYED);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void burstLossAcrossTheWrapKeepsTheRolloverCounter(SrtpProfile p) {
        SrtpContext[] c = pair(p);
        byte[] first = rtp(65000, 7, 1);
        assertThat(open(c[1], c[0].protectRtp(first, 0, first.length), first)).isGreaterThan(0);
        // the sender keeps going (its ROC advances) but the receiver loses 1500 packets across the wrap
        for (int s = 65001; s < 65536 + 1000; s++) {
            byte[] pl = rtp(s & 0xFFFF, 7, 2);
            c[0].protectRtp(pl, 0, pl.length);
        }
        byte[] after = rtp(1000, 7, 3);
        assertThat(open(c[1], c[0].protectRtp(after, 0, after.length), after)).isGreaterThan(0);
        // a late packet from before the wrap (seq 65400, still ROC 0) is too old for the window: refused
        byte[] late = rtp(65400, 7, 4);
        SrtpContext lateSender = pair(p)[0];
        byte[] latePacket = lateSender.protectRtp(late, 0, late.length); // ROC 0 on a fresh sender
        assertThat(open(c[1], latePacket, late)).isLessThan(0);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedPacketsFailAuthentication(SrtpProfile p) {
        SrtpContext[] c = pair(p);
        byte[] pl = rtp(10, 99, 5);
        byte[] sent = c[0].protectRtp(pl, 0, pl.length);
        for (int i = 0; i < sent.length; i++) {
            byte[] t = sent.clone();
            t[i] ^= 0x10;
            int n = c[1].unprotectRtp(t, 0, t.length);
            assertThat(n).as("flip at byte %d", i).isLessThan(0);
        }
        assertThat(open(c[1], sent, pl)).isGreaterThan(0);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtcpIndexesArePerSenderAndReplaysAreRefused(SrtpProfile p) {
        SrtpContext[] c = pair(p);
        for (long ssrc : new long[] {1, 2}) {
            for (int i = 0; i < 3; i++) {
                byte[] rr = new byte[8];
                rr[0] = (byte) 0x80;
                rr[1] = (byte) 201;
                rr[3] = 1;
                rr[7] = (byte) ssrc;
                byte[] sent = c[0].protectRtcp(rr, 0, rr.length);
                byte[] b = sent.clone();
                int n = c[1].unprotectRtcp(b, 0, b.length);
                assertThat(n).isEqualTo(8);
                assertThat(Arrays.copyOf(b, n)).isEqualTo(rr);
                byte[] again = sent.clone();
                assertThat(c[1].unprotectRtcp(again, 0, again.length)).isEqualTo(SrtpContext.REPLAYED);
            }
        }
    }
}
