package org.steno.conference.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.steno.conference.media.rtcp.RtcpPacket;
import org.steno.conference.media.rtp.RtpPacket;
import org.steno.conference.media.rtp.RtpWriter;
import org.steno.conference.media.rtp.Vp8Descriptor;
import org.steno.conference.media.sdp.SimulcastSdpTest;

/**
 * Simulcast over real UDP, DTLS and SRTP, with BouncyCastle clients standing in for browsers: the publisher offers
 * the captured Chromium simulcast offer and sends three layers on SSRCs it never signalled, named only by the mid and
 * rtp-stream-id header extensions; the subscriber gets the layer its tile needs, asked for by a PLI on that layer's
 * SSRC, and a continuous stream across a move to another layer. Packets with a rid the offer did not list, without a
 * rid, or of a repair stream are dropped and counted, and forwarding goes on.
 */
class SimulcastForwardingTest {

    private static final int MID_EXT = 4;
    private static final int RID_EXT = 10;
    private static final int REPAIRED_RID_EXT = 11;
    private static final int VP8 = 96;
    private static final String[] RIDS = {"q", "h", "f"};
    private static final long[] SSRCS = {0x1000_0001L, 0x1000_0002L, 0x1000_0003L};
    private static final int[][] SIZES = {{320, 180}, {640, 360}, {1280, 720}};

    /** The publisher's three encoders: per layer its sequence number, timestamp, picture id. */
    private final int[] seq = {100, 30000, 65500};
    private final long[] ts = {1000, 2_000_000, 4_000_000_000L};
    private final int[] pictureId = {10, 20000, 32760};
    /** Layers whose SSRC the SFU asked a keyframe of (by PLI), not yet answered. */
    private final Set<Long> keyframeAsked = ConcurrentHashMap.newKeySet();

    private byte[] frame(int layer, boolean keyframe, String rid, long ssrc) {
        int pic = pictureId[layer];
        byte[] payload = {(byte) 0x90, (byte) 0x80, (byte) (0x80 | (pic >>> 8)), (byte) pic,
            (byte) (keyframe ? 0x10 : 0x11), 0x02, 0x00, (byte) 0x9D, 0x01, 0x2A, (byte) SIZES[layer][0],
            (byte) (SIZES[layer][0] >>> 8), (byte) SIZES[layer][1], (byte) (SIZES[layer][1] >>> 8), (byte) layer};
        List<RtpWriter.Extension> ext = new ArrayList<>();
        ext.add(RtpWriter.Extension.mid(MID_EXT, "1"));
        if (rid != null) {
            ext.add(RtpWriter.Extension.mid(RID_EXT, rid)); // a string extension, written as the mid is
        }
        byte[] b = RtpWriter.write(VP8, true, seq[layer] & 0xFFFF, ts[layer] & 0xFFFFFFFFL, ssrc,
                ext.toArray(new RtpWriter.Extension[0]), payload, 0, payload.length);
        seq[layer]++;
        ts[layer] += 3000;
        pictureId[layer] = (pictureId[layer] + 1) & 0x7FFF;
        return b;
    }

    /** One frame on every layer (a keyframe where one was asked, or {@code allKeyframes}); reads the PLIs. */
    private void sendRound(FakeBrowser pub, boolean allKeyframes) throws Exception {
        for (int l = 0; l < 3; l++) {
            boolean key = allKeyframes || keyframeAsked.remove(SSRCS[l]);
            pub.sendRtp(frame(l, key, RIDS[l], SSRCS[l]));
        }
        byte[] rtcp;
        while ((rtcp = pub.receive(true, 1)) != null) {
            for (RtcpPacket p : RtcpPacket.parseCompound(rtcp, 0, rtcp.length)) {
                if (p instanceof RtcpPacket.Pli pli) {
                    keyframeAsked.add(pli.mediaSsrc());
                }
            }
        }
    }

    private record Got(int seq, int pictureId, int layer) {
    }

    /** Sends rounds until the subscriber got {@code n} packets of {@code layer} in a row; returns what it got. */
    private List<Got> forwardUntil(FakeBrowser pub, FakeBrowser sub, int layer, int n) throws Exception {
        List<Got> got = new ArrayList<>();
        int inARow = 0;
        long end = System.currentTimeMillis() + 10_000;
        while (inARow < n && System.currentTimeMillis() < end) {
            sendRound(pub, false);
            byte[] p;
            while ((p = sub.receive(false, 30)) != null) {
                RtpPacket r = RtpPacket.parse(p, 0, p.length);
                if (r.payloadType() != VP8 || r.payloadLength() < 15) {
                    continue; // its audio slots
                }
                Vp8Descriptor d = Vp8Descriptor.parse(r.buffer(), r.payloadOffset(), r.payloadLength());
                Got g = new Got(r.sequenceNumber(), d.pictureId(), r.buffer()[r.payloadOffset() + r.payloadLength() - 1]);
                got.add(g);
                inARow = g.layer() == layer ? inARow + 1 : 0;
            }
        }
        assertThat(inARow).as("packets of layer %d in a row; got %s", layer, got).isGreaterThanOrEqualTo(n);
        return got;
    }

    @Test
    void theSubscriberGetsTheLayerItsTileNeedsAndAContinuousStreamAcrossAMove() throws Exception {
        try (MediaServer m = MediaServer.start("127.0.0.1", 0, "127.0.0.1");
             FakeBrowser alice = new FakeBrowser(m, "g", "alice", null, new InetSocketAddress("127.0.0.1", 0),
                     new InetSocketAddress("127.0.0.1", m.port()), SimulcastSdpTest.simulcastOffer(), "igIc");
             FakeBrowser bob = new FakeBrowser(m, "g", "bob", null)) {
            assertThat(alice.answer).contains("a=simulcast:recv q;h;f");
            alice.connect();
            bob.connect();
            long end = System.currentTimeMillis() + 10_000;
            while (!(alice.endpoint.isConnected() && bob.endpoint.isConnected()) && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            String mid = bob.endpoint.slots().stream()
                    .filter(s -> "alice".equals(s.sourceParticipantId()) && s.kind() == MediaKind.VIDEO)
                    .findFirst().orElseThrow().mid();
            bob.endpoint.tileSizes(Map.of(mid, new TileSize(300, 170))); // a small tile: q (320×180) fills it

            sendRound(alice, true); // every layer starts with a keyframe: the SFU learns their SSRCs and sizes
            assertThat(m.counters().get("sfu.simulcast.ssrc-bound")).as("three unsignalled SSRCs bound by rid").isEqualTo(3);
            List<Got> small = forwardUntil(alice, bob, 0, 20);
            List<Got> onQ = small.subList(small.size() - 20, small.size());
            for (int i = 1; i < onQ.size(); i++) {
                assertThat(onQ.get(i).seq()).isEqualTo((onQ.get(i - 1).seq() + 1) & 0xFFFF);
                assertThat(onQ.get(i).pictureId()).isEqualTo((onQ.get(i - 1).pictureId() + 1) & 0x7FFF);
            }
            assertThat(m.counters().get("sfu.drop.other-layer")).as("h and f were not forwarded").isPositive();

            // The tile grows: the SFU asks f (by PLI on f's SSRC) for a keyframe and moves there at it.
            keyframeAsked.clear();
            bob.endpoint.tileSizes(Map.of(mid, new TileSize(1280, 720)));
            List<Got> large = forwardUntil(alice, bob, 2, 20);
            int firstF = -1;
            for (int i = 0; i < large.size(); i++) {
                if (large.get(i).layer() == 2) {
                    firstF = i;
                    break;
                }
            }
            assertThat(firstF).as("q until f's keyframe").isPositive();
            Got lastQ = large.get(firstF - 1);
            Got first = large.get(firstF);
            assertThat(lastQ.layer()).isZero();
            assertThat(first.seq()).as("sequence continues").isEqualTo((lastQ.seq() + 1) & 0xFFFF);
            assertThat(first.pictureId()).as("picture id continues across f's own wrap").isEqualTo((lastQ.pictureId() + 1) & 0x7FFF);
            for (int i = firstF + 1; i < large.size(); i++) {
                assertThat(large.get(i).layer()).isEqualTo(2);
                assertThat(large.get(i).seq()).isEqualTo((large.get(i - 1).seq() + 1) & 0xFFFF);
                assertThat(large.get(i).pictureId()).isEqualTo((large.get(i - 1).pictureId() + 1) & 0x7FFF);
            }

            // Hostile or stray packets: a rid the offer did not list, no rid at all, a repair stream. Each is
            // dropped and counted; the endpoint keeps forwarding.
            Map<String, Long> before = m.counters();
            alice.sendRtp(frame(0, true, "x", 0x2000_0001L));
            alice.sendRtp(frame(0, true, null, 0x2000_0002L));
            byte[] repair = RtpWriter.write(97, false, 1, 1, 0x2000_0003L, new RtpWriter.Extension[] {
                RtpWriter.Extension.mid(MID_EXT, "1"), RtpWriter.Extension.mid(REPAIRED_RID_EXT, "q")}, new byte[] {1}, 0, 1);
            alice.sendRtp(repair);
            end = System.currentTimeMillis() + 3000;
            while (System.currentTimeMillis() < end && m.counters().getOrDefault("rtp.drop.repair-stream", 0L) == 0) {
                Thread.sleep(20);
            }
            Map<String, Long> after = m.counters();
            assertThat(after.get("rtp.drop.unknown-rid")).isEqualTo(before.getOrDefault("rtp.drop.unknown-rid", 0L) + 1);
            assertThat(after.get("rtp.drop.simulcast-without-rid"))
                    .isEqualTo(before.getOrDefault("rtp.drop.simulcast-without-rid", 0L) + 1);
            assertThat(after.get("rtp.drop.repair-stream")).isEqualTo(before.getOrDefault("rtp.drop.repair-stream", 0L) + 1);
            assertThat(after.get("sfu.simulcast.ssrc-bound")).as("none of them took a layer").isEqualTo(3);
            forwardUntil(alice, bob, 2, 5);
        }
    }

    @Test
    void anOfferWithAMalformedRidIsRefusedWithItsReason() throws Exception {
        try (MediaServer m = MediaServer.start("127.0.0.1", 0, "127.0.0.1")) {
            Endpoint e = m.createEndpoint("g", "p");
            String bad = SimulcastSdpTest.simulcastOffer().replace("a=rid:h send", "a=rid:h! send");
            assertThatThrownBy(() -> m.answer(e, bad)).isInstanceOf(InvalidSdpException.class)
                    .hasMessageContaining("a=rid id \"h!\"");
            String unknown = SimulcastSdpTest.simulcastOffer().replace("a=simulcast:send q;h;f", "a=simulcast:send q;h;z");
            assertThatThrownBy(() -> m.answer(e, unknown)).isInstanceOf(InvalidSdpException.class)
                    .hasMessageContaining("no a=rid:z send");
            String noRidExtension = SimulcastSdpTest.simulcastOffer()
                    .replace("a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n", "");
            assertThatThrownBy(() -> m.answer(e, noRidExtension)).isInstanceOf(InvalidSdpException.class)
                    .hasMessageContaining("rtp-stream-id");
            // The endpoint still takes a good offer afterwards.
            assertThat(m.answer(e, SimulcastSdpTest.simulcastOffer())).contains("a=simulcast:recv q;h;f");
        }
    }
}
