package org.steno.conference.media.sfu;

import java.security.SecureRandom;
import org.steno.conference.media.MediaKind;
import org.steno.conference.media.SlotAssignment;
import org.steno.conference.media.rtp.RtpPacket;
import org.steno.conference.media.rtp.RtpWriter;

/**
 * One receive slot of a subscriber (an m-line it receives on) with a stable outgoing SSRC: the source bound to it
 * is rewritten by a {@link RtpMunger} so switching sources keeps the stream continuous; the packets sent are kept
 * in a {@link PacketCache} for NACKs; counts feed the sender reports.
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
    private final RtpMunger munger;
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
        munger.switchTo(r);
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
    synchronized byte[] rewrite(Receiver from, RtpPacket p, long extSeq, int audioLevel, long nowNanos) {
        if (from != source) {
            return null;
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
