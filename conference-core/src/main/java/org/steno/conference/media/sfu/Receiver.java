package org.steno.conference.media.sfu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.steno.conference.media.MediaKind;
import org.steno.conference.media.TrackInfo;

/**
 * One upstream track and its {@link Layer}s: one RTP stream for an ordinary track, one per rid for a simulcast
 * video track (in the offer's {@code a=simulcast} order). It keeps the track's audio level and the down-tracks that
 * carry it, so a packet visits only the subscribers that selected it, not every endpoint of the group.
 */
public final class Receiver {

    final TrackInfo info;
    final SfuEndpoint publisher;
    final int payloadType;
    /** Fixed at creation: a different set of rids in a re-offer makes a new receiver. */
    private final Layer[] layers;
    final AudioLevelMeter level = new AudioLevelMeter();
    /** The subscribers' slots bound to this track now (written on bind, read per packet). */
    final List<DownTrack> downTracks = new CopyOnWriteArrayList<>();
    /** VP8: its payload descriptor is read for keyframes, frame sizes and picture ids. */
    final boolean vp8;
    /** The one stream of a simulcast track the listeners get (null for an ordinary track). */
    final TapLayerFollower tap;
    /** A screen share (the offer's m-line said {@code a=content:slides}): last-N shows it before anyone's camera. */
    volatile boolean screenShare;

    /** An ordinary track: one layer, SSRC from the offer's {@code a=ssrc} (or -1: learnt from the mid). */
    Receiver(TrackInfo info, SfuEndpoint publisher, int payloadType, long ssrc) {
        this(info, publisher, payloadType, List.of(), ssrc);
    }

    /** A track with these simulcast rids (empty: one layer). */
    Receiver(TrackInfo info, SfuEndpoint publisher, int payloadType, List<String> rids, long ssrc) {
        this.info = info;
        this.publisher = publisher;
        this.payloadType = payloadType;
        this.vp8 = info.kind() == MediaKind.VIDEO && "VP8".equalsIgnoreCase(info.codec());
        if (rids.isEmpty()) {
            layers = new Layer[] {new Layer(this, 0, null, ssrc)};
        } else {
            layers = new Layer[rids.size()];
            for (int i = 0; i < layers.length; i++) {
                layers[i] = new Layer(this, i, rids.get(i), -1);
            }
        }
        this.tap = layers.length > 1 ? new TapLayerFollower(this) : null;
    }

    public TrackInfo info() {
        return info;
    }

    public MediaKind kind() {
        return info.kind();
    }

    boolean simulcast() {
        return layers.length > 1;
    }

    /** The rids of the layers, in order (empty for an ordinary track). */
    List<String> rids() {
        List<String> l = new ArrayList<>();
        for (Layer x : layers) {
            if (x.rid != null) {
                l.add(x.rid);
            }
        }
        return l;
    }

    Layer[] layers() {
        return layers;
    }

    /** The only layer of an ordinary track (the first of a simulcast one). */
    Layer primary() {
        return layers[0];
    }

    /** The layer with this rid, or null. */
    Layer layer(String rid) {
        for (Layer x : layers) {
            if (rid.equals(x.rid)) {
                return x;
            }
        }
        return null;
    }
}
