package org.steno.conference.media.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Audio level smoothing, dominant speaker hysteresis and the packet cache. */
class GroupTest {

    @Test
    void levelMeterSmoothsAndGoesStale() {
        AudioLevelMeter m = new AudioLevelMeter();
        long t = 1_000_000_000L;
        for (int i = 0; i < 100; i++) {
            m.add(20, t + i * 20_000_000L); // -20 dBov
        }
        double loud = m.loudness(t + 100 * 20_000_000L);
        assertThat(loud).isBetween(100.0, 107.0);
        m.add(127, t + 101 * 20_000_000L); // one silent packet barely moves it
        assertThat(m.loudness(t + 101 * 20_000_000L)).isGreaterThan(90);
        assertThat(m.loudness(t + 101 * 20_000_000L + 2_000_000_000L)).isZero();
    }

    @Test
    void packetCacheAnswersExactSequenceNumbersOnly() {
        PacketCache c = new PacketCache(8);
        for (long s = 65530; s < 65540; s++) {
            c.put(s, new byte[] {(byte) s});
        }
        assertThat(c.get(65535)).containsExactly((byte) 65535);
        assertThat(c.get(3)).containsExactly((byte) 65539); // 65539 & 0xFFFF = 3
        assertThat(c.get(65531)).isNull(); // overwritten
        assertThat(c.get(100)).isNull();
    }

    @Test
    void aDownTrackWithALongMidStillRewritesWithoutTheMidExtension() {
        org.steno.conference.media.TrackInfo info = new org.steno.conference.media.TrackInfo("e/0", "p", "g",
                org.steno.conference.media.MediaKind.AUDIO, "opus", 48000, "0");
        Receiver source = new Receiver(info, null, 111, 5);
        DownTrack d = new DownTrack(null, "a-very-long-mid-of-twenty-chars", org.steno.conference.media.MediaKind.AUDIO,
                "opus", 48000, 111);
        d.midExtId = 4;
        d.audioLevelExtId = 1;
        d.bind(source);
        byte[] in = org.steno.conference.media.rtp.RtpWriter.write(111, false, 7, 960, 5, null, new byte[] {9}, 0, 1);
        byte[] out = d.rewrite(source.primary(), org.steno.conference.media.rtp.RtpPacket.parse(in, 0, in.length), null,
                7, 30, 0);
        org.steno.conference.media.rtp.RtpPacket p = org.steno.conference.media.rtp.RtpPacket.parse(out, 0, out.length);
        assertThat(p.ssrc()).isEqualTo(d.ssrc);
        assertThat(p.findExtension(4)).isEqualTo(-1);
        assertThat(p.audioLevel(1)).isEqualTo(30);
        assertThat(p.payload()).containsExactly((byte) 9);
    }
}
