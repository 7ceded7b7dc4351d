package org.steno.conference.media.sfu;

import org.steno.conference.media.rtp.Vp8Descriptor;

/**
 * What the listeners ({@code onRtp}: the recorder, the taps) get of a simulcast track: one stream, not three
 * interleaved. It follows the best layer that is sending, moves at a keyframe of the new one (as a subscriber's
 * slot does), and renumbers sequence numbers and timestamps with a {@link RtpMunger} so the stream stays
 * continuous across a move. Runs on the publisher's serial worker only.
 */
final class TapLayerFollower {

    private static final long RESELECT_NANOS = 200_000_000L;
    private static final long ASK_AGAIN_NANOS = 1_000_000_000L;

    private final Receiver receiver;
    private final RtpMunger munger;
    /** Written by the packet thread; read by a listener's keyframe request. */
    private volatile Layer following;
    private int target = -1;
    private long selectedAtNanos = Long.MIN_VALUE / 2;
    private long askedAtNanos = Long.MIN_VALUE / 2;

    TapLayerFollower(Receiver receiver) {
        this.receiver = receiver;
        this.munger = new RtpMunger(receiver.info.clockRate(), 1, 0);
    }

    /** The layer the listeners get now, or null before the first. */
    Layer followed() {
        return following;
    }

    /**
     * The layer to ask a keyframe of, at most once a second while the one chosen is awaited (no subscriber may be
     * asking that layer for one: the best layer is often nobody's), or null.
     */
    Layer keyframeWanted(long nowNanos) {
        if (target < 0 || (following != null && following.index == target) || nowNanos - askedAtNanos < ASK_AGAIN_NANOS) {
            return null;
        }
        askedAtNanos = nowNanos;
        return receiver.layers()[target];
    }

    /** The renumbered packet for the listeners, or null when it is not the layer followed. */
    RtpMunger.Munged map(Layer layer, Vp8Descriptor vp8, long extSeq, long timestamp, boolean paddingOnly,
                         long nowNanos) {
        if (nowNanos - selectedAtNanos >= RESELECT_NANOS) {
            selectedAtNanos = nowNanos;
            int best = LayerSelector.select(LayerSelector.candidates(receiver.layers(), nowNanos), null, Long.MAX_VALUE,
                    target);
            if (best >= 0) {
                target = best;
            }
        }
        if (layer != following) {
            if (layer.index != target || vp8 == null || !vp8.keyframe()) {
                return null;
            }
            following = layer;
            munger.switchTo(layer);
        }
        return munger.munge(layer, extSeq, timestamp, paddingOnly, nowNanos);
    }
}
