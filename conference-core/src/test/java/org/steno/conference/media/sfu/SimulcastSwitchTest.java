package org.steno.conference.media.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.steno.conference.media.MediaKind;
import org.steno.conference.media.TrackInfo;
import org.steno.conference.media.rtp.RtpPacket;
import org.steno.conference.media.rtp.RtpWriter;
import org.steno.conference.media.rtp.Vp8Descriptor;

/**
 * A subscriber's slot on a simulcast source: it forwards one layer, moves to another only at a keyframe of that
 * layer, and keeps sequence numbers, timestamps, VP8 picture ids and TL0PICIDX continuous across the move; packets
 * of the layers it does not forward never reach it.
 */
class SimulcastSwitchTest {

    private static final int PT = 96;

    /** One simulcast layer as an encoder sends it: its own SSRC, sequence numbers, timestamps and picture ids. */
    private static final class Encoder {
        final Layer layer;
        int seq;
        long ts;
        int pictureId;
        int tl0;

        Encoder(Layer layer, int seq, long ts, int pictureId, int tl0) {
            this.layer = layer;
            this.seq = seq;
            this.ts = ts;
            this.pictureId = pictureId;
            this.tl0 = tl0;
        }

        /** A one-packet frame (keyframe or not) with a 15-bit picture id, TL0PICIDX and TID 0. */
        RtpPacket frame(boolean keyframe, int width, int height) {
            byte[] payload = {(byte) 0x90, (byte) 0xE0, (byte) (0x80 | (pictureId >>> 8)), (byte) pictureId, (byte) tl0,
                0x20, (byte) (keyframe ? 0x10 : 0x11), 0x02, 0x00, (byte) 0x9D, 0x01, 0x2A, (byte) width,
                (byte) (width >>> 8), (byte) height, (byte) (height >>> 8), (byte) layer.index};
            byte[] b = RtpWriter.write(PT, true, seq & 0xFFFF, ts & 0xFFFFFFFFL, layer.ssrc, null, payload, 0, payload.length);
            seq++;
            ts += 3000;
            pictureId = (pictureId + 1) & 0x7FFF;
            tl0 = (tl0 + 1) & 0xFF;
            return RtpPacket.parse(b, 0, b.length);
        }
    }

    private record Out(int seq, long ts, int pictureId, int tl0, int layer) {
    }

    private static Out forward(DownTrack d, Encoder e, RtpPacket p, long nowNanos) {
        Vp8Descriptor vp8 = Vp8Descriptor.parse(p.buffer(), p.payloadOffset(), p.payloadLength());
        long ext = e.layer.onPacket(p.sequenceNumber(), p.timestamp(), p.length(), nowNanos);
        byte[] out = d.rewrite(e.layer, p, vp8, ext, -1, nowNanos);
        if (out == null) {
            return null;
        }
        RtpPacket o = RtpPacket.parse(out, 0, out.length);
        Vp8Descriptor od = Vp8Descriptor.parse(o.buffer(), o.payloadOffset(), o.payloadLength());
        return new Out(o.sequenceNumber(), o.timestamp(), od.pictureId(), od.tl0PicIdx(),
                o.buffer()[o.payloadOffset() + o.payloadLength() - 1]);
    }

    @Test
    void movesAtTheTargetLayersKeyframeWithContinuousNumbers() {
        TrackInfo info = new TrackInfo("a/1", "a", "g", MediaKind.VIDEO, "VP8", 90000, "1");
        Receiver r = new Receiver(info, null, PT, List.of("q", "h", "f"), -1);
        r.layers()[0].ssrc = 111;
        r.layers()[1].ssrc = 222;
        // Each layer counts on its own, far apart (and the high layer's picture id about to wrap).
        Encoder q = new Encoder(r.layers()[0], 100, 1_000_000L, 500, 10);
        Encoder h = new Encoder(r.layers()[1], 65530, 4_000_000_000L, 32765, 250);
        DownTrack d = new DownTrack(null, "3", MediaKind.VIDEO, "VP8", 90000, PT);
        d.bind(r);
        long now = 1_000_000_000L;

        // Nothing is forwarded before a layer is chosen and its keyframe arrives.
        assertThat(forward(d, q, q.frame(false, 0, 0), now)).isNull();
        assertThat(d.target(0)).isTrue();
        assertThat(forward(d, q, q.frame(false, 0, 0), now += 33_000_000)).as("q, but not a keyframe").isNull();
        assertThat(d.awaitingLayer()).isTrue();
        Out first = forward(d, q, q.frame(true, 320, 180), now += 33_000_000);
        assertThat(first).isNotNull();
        assertThat(first.layer()).isEqualTo(0);
        assertThat(d.awaitingLayer()).isFalse();
        Out last = first;
        for (int i = 0; i < 5; i++) {
            assertThat(forward(d, h, h.frame(false, 0, 0), now)).as("h is not forwarded").isNull();
            Out o = forward(d, q, q.frame(false, 0, 0), now += 33_000_000);
            assertThat(o.seq()).isEqualTo((last.seq() + 1) & 0xFFFF);
            assertThat(o.pictureId()).isEqualTo((last.pictureId() + 1) & 0x7FFF);
            last = o;
        }

        // The slot is told to go to h: q goes on until h's keyframe, then only h, continuing q's numbers.
        assertThat(d.target(1)).isTrue();
        assertThat(forward(d, h, h.frame(false, 0, 0), now += 33_000_000)).as("h before its keyframe").isNull();
        Out stillQ = forward(d, q, q.frame(false, 0, 0), now);
        assertThat(stillQ.layer()).isEqualTo(0);
        last = stillQ;
        Out switched = forward(d, h, h.frame(true, 640, 360), now += 33_000_000);
        assertThat(switched.layer()).isEqualTo(1);
        assertThat(switched.seq()).as("sequence continues across the move").isEqualTo((last.seq() + 1) & 0xFFFF);
        assertThat(switched.pictureId()).as("picture id continues").isEqualTo((last.pictureId() + 1) & 0x7FFF);
        assertThat(switched.tl0()).as("TL0PICIDX continues").isEqualTo((last.tl0() + 1) & 0xFF);
        long tsStep = (switched.ts() - last.ts()) & 0xFFFFFFFFL;
        assertThat(tsStep).as("timestamp advances by the wall time, not h's own clock").isBetween(2000L, 4000L);
        assertThat(forward(d, q, q.frame(false, 0, 0), now)).as("q is no longer forwarded").isNull();
        last = switched;
        for (int i = 0; i < 5; i++) { // across h's own 16-bit sequence and 15-bit picture id wrap
            Out o = forward(d, h, h.frame(false, 0, 0), now += 33_000_000);
            assertThat(o.layer()).isEqualTo(1);
            assertThat(o.seq()).isEqualTo((last.seq() + 1) & 0xFFFF);
            assertThat(o.pictureId()).isEqualTo((last.pictureId() + 1) & 0x7FFF);
            assertThat(o.tl0()).isEqualTo((last.tl0() + 1) & 0xFF);
            assertThat((o.ts() - last.ts()) & 0xFFFFFFFFL).isEqualTo(3000L);
            last = o;
        }
        assertThat(d.layerSwitches).isEqualTo(2);
    }

    @Test
    void theListenersFollowTheBestSendingLayerRenumberedAndAskItForAKeyframe() {
        TrackInfo info = new TrackInfo("a/1", "a", "g", MediaKind.VIDEO, "VP8", 90000, "1");
        Receiver r = new Receiver(info, null, PT, List.of("q", "h"), -1);
        r.layers()[0].ssrc = 111;
        r.layers()[1].ssrc = 222;
        Encoder q = new Encoder(r.layers()[0], 100, 1_000_000L, 500, 10);
        Encoder h = new Encoder(r.layers()[1], 65534, 7_000_000L, 9, 1);
        long now = 5_000_000_000L;
        // Both layers send (the SFU saw their first keyframes); the best is h.
        r.layers()[0].onPacket(99, 0, 1000, now);
        r.layers()[1].onPacket(65533, 0, 3000, now);
        r.layers()[0].height = 180;
        r.layers()[0].width = 320;
        r.layers()[1].height = 360;
        r.layers()[1].width = 640;
        assertThat(listen(r, q, q.frame(true, 320, 180), now)).as("a keyframe, but of q").isNull();
        assertThat(listen(r, h, h.frame(false, 0, 0), now)).as("h, but not from a keyframe").isNull();
        assertThat(r.tap.keyframeWanted(now)).as("so h is asked for one").isSameAs(r.layers()[1]);
        assertThat(r.tap.keyframeWanted(now + 1)).as("once a second").isNull();
        assertThat(listen(r, q, q.frame(false, 0, 0), now += 33_000_000)).as("q is not what it follows").isNull();
        RtpMunger.Munged k = listen(r, h, h.frame(true, 640, 360), now += 33_000_000);
        assertThat(k).isNotNull();
        RtpMunger.Munged next = listen(r, h, h.frame(false, 0, 0), now += 33_000_000);
        assertThat(next.extendedSeq()).as("continuous across h's 16-bit wrap").isEqualTo(k.extendedSeq() + 1);
        assertThat(r.tap.keyframeWanted(now + 2_000_000_000L)).as("following it: nothing to ask").isNull();
    }

    private static RtpMunger.Munged listen(Receiver r, Encoder e, RtpPacket p, long nowNanos) {
        Vp8Descriptor vp8 = Vp8Descriptor.parse(p.buffer(), p.payloadOffset(), p.payloadLength());
        if (vp8.keyframe()) {
            e.layer.width = vp8.width();
            e.layer.height = vp8.height();
        }
        long ext = e.layer.onPacket(p.sequenceNumber(), p.timestamp(), p.length(), nowNanos);
        return r.tap.map(e.layer, vp8, ext, p.timestamp(), false, nowNanos);
    }

    @Test
    void anOrdinaryTrackIsForwardedAtOnceAsBefore() {
        TrackInfo info = new TrackInfo("a/1", "a", "g", MediaKind.VIDEO, "VP8", 90000, "1");
        Receiver r = new Receiver(info, null, PT, 333);
        Encoder e = new Encoder(r.primary(), 7, 90_000, 3, 1);
        DownTrack d = new DownTrack(null, "3", MediaKind.VIDEO, "VP8", 90000, PT);
        d.bind(r);
        Out o = forward(d, e, e.frame(false, 0, 0), 1);
        assertThat(o).as("no keyframe needed, no layer to choose").isNotNull();
        assertThat(d.awaitingLayer()).isFalse();
    }
}
