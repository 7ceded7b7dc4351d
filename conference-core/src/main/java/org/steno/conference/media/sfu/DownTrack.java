package org.steno.conference.media.sfu;

import java.security.SecureRandom;
import org.steno.conference.media.MediaKind;
import org.steno.conference.media.SlotAssignment;
import org.steno.conference.media.TileSize;
import org.steno.conference.media.rtp.RtpPacket;
import org.steno.conference.media.rtp.RtpWriter;
import org.steno.conference.media.rtp.Vp8Descriptor;

/**
 * One receive slot of a subscriber (an m-line it receives on) with a stable outgoing SSRC: the source bound to it
 * is rewritten by a {@link RtpMunger} so switching sources keeps the stream continuous; the packets sent are kept
 * in a {@link PacketCache} for NACKs; counts feed the sender reports.
 *
 * <p>A simulcast source is forwarded one layer at a time: {@link LayerSelector} sets the target, and the slot moves
 * to it only at the first packet of a keyframe of that layer (the caller asks the layer for one), so the decoder
 * never gets a frame that refers to another layer's pictures; the {@link RtpMunger} and {@link Vp8PictureMunger}
 * keep sequence numbers, timestamps and picture ids continuous across the move.
 */
final class DownTrack {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The endpoint that receives on this slot (null in unit tests that only rewrite). */
    final SfuEndpoint subscriber;
    final String mid;
    final MediaKind kind;
    final long ssrc;
    final String codec;
    volatile int payloadType;
    volatile int midExtId;
    volatile int audioLevelExtId;
    private volatile Receiver source;
    /** The layer of the source forwarded now (null: none yet, waiting for a keyframe of the target). */
    private volatile Layer forwarding;
    /** The layer index the selector wants (-1: none chosen yet). */
    private volatile int targetLayer = -1;
    /** When the target layer last changed. */
    volatile long targetChangedNanos;
    /** When the target layer was last asked for a keyframe. */
    long keyframeAskedNanos;
    /** The tile the page shows this slot in (null: not reported). */
    volatile TileSize tile;
    long layerSwitches;
    private final RtpMunger munger;
    private final Vp8PictureMunger pictures = new Vp8PictureMunger();
    final PacketCache cache;
    long packetsSent;
    long octetsSent;

    DownTrack(SfuEndpoint subscriber, String mid, MediaKind kind, String codec, int clockRate, int payloadType) {
        this.subscriber = subscriber;
        this.mid = mid;
        this.kind = kind;
        this.codec = codec;
        this.ssrc = 1 + (RANDOM.nextInt() & 0x7FFFFFFEL);
        this.payloadType = payloadType;
        this.munger = new RtpMunger(clockRate, 1 + RANDOM.nextInt(30000), RANDOM.nextInt() & 0xFFFFFFFFL);
        this.cache = new PacketCache(kind == MediaKind.VIDEO ? 1024 : 128);
    }

    Receiver source() {
        return source;
    }

    synchronized void bind(Receiver r) {
        source = r;
        targetLayer = -1;
        // An ordinary track is forwarded at once; a simulcast one waits for a keyframe of the layer selected.
        forwarding = r == null || r.simulcast() ? null : r.primary();
        munger.switchTo(forwarding);
        pictures.switchSource();
    }

    /** The layer forwarded now, or null. */
    Layer forwarding() {
        return forwarding;
    }

    int targetLayer() {
        return targetLayer;
    }

    /** Sets the layer to move to (at its next keyframe); returns true if it changed. */
    synchronized boolean target(int layerIndex) {
        if (layerIndex == targetLayer) {
            return false;
        }
        targetLayer = layerIndex;
        targetChangedNanos = System.nanoTime();
        return true;
    }

    /** The target layer is not the one forwarded yet: its keyframe is awaited. */
    boolean awaitingLayer() {
        Layer f = forwarding;
        Receiver r = source;
        return r != null && r.simulcast() && targetLayer >= 0 && (f == null || f.index != targetLayer);
    }

    SlotAssignment assignment() {
        Receiver r = source;
        return new SlotAssignment(mid, kind, ssrc, r == null ? null : r.info.trackId(),
                r == null ? null : r.info.participantId());
    }

    /**
     * Rewrites one decrypted source packet for this subscriber: SSRC, sequence number, timestamp, payload type, and
     * the header extensions (mid with the subscriber's id and this slot's mid — Chromium needs it to route an
     * unsignalled SSRC — and the audio level). Returns the plaintext packet to encrypt, or null to drop.
     */
    synchronized byte[] rewrite(Layer from, RtpPacket p, Vp8Descriptor vp8, long extSeq, int audioLevel,
                                long nowNanos) {
        if (from.receiver != source) {
            return null;
        }
        if (from != forwarding) {
            if (from.index != targetLayer || vp8 == null || !vp8.keyframe()) {
                return null; // another layer, or the target before its keyframe
            }
            forwarding = from;
            munger.switchTo(from);
            pictures.switchSource();
            layerSwitches++;
        }
        RtpMunger.Munged m = munger.munge(from, extSeq, p.timestamp(), p.payloadLength() == 0, nowNanos);
        if (m == null) {
            return null;
        }
        // The one-byte form carries at most 16 bytes: a longer mid is left out (the answer's a=ssrc still routes it).
        int midId = mid.length() <= 16 ? midExtId : -1;
        int levelId = audioLevelExtId;
        boolean withMid = midId > 0 && midId <= 14;
        boolean withLevel = levelId > 0 && levelId <= 14 && audioLevel >= 0;
        RtpWriter.Extension[] ext = new RtpWriter.Extension[(withMid ? 1 : 0) + (withLevel ? 1 : 0)];
        int e = 0;
        if (withMid) {
            ext[e++] = RtpWriter.Extension.mid(midId, mid);
        }
        if (withLevel) {
            ext[e] = RtpWriter.Extension.audioLevel(levelId, audioLevel < 127, audioLevel);
        }
        byte[] out = RtpWriter.write(payloadType, p.marker(), m.seq(), m.timestamp(), ssrc, ext, p.buffer(),
                p.payloadOffset(), p.payloadLength());
        pictures.rewrite(out, out.length - p.payloadLength(), vp8);
        cache.put(m.extendedSeq(), out);
        packetsSent++;
        octetsSent += p.payloadLength();
        return out;
    }

    synchronized long rtpTimestampAt(long nowNanos) {
        return munger.timestampAt(nowNanos);
    }

    synchronized boolean hasSent() {
        return munger.started();
    }
}
