package org.steno.conference.signaling;

import java.util.List;
import java.util.Map;
import org.steno.conference.media.TileSize;

/** One participant's media connection, as signaling sees it. */
public interface MediaSession {

    /** Answers an SDP offer (the first one, or a renegotiation). */
    String answer(String offerSdp) throws OfferRejectedException;

    /** The page shows at most {@code max} videos (its tile count): receive no more (0: none). */
    default void limitVideo(int max) {
    }

    /** Participants whose video the page wants before the speaker order, in order; empty unpins. */
    default void pin(List<String> participantIds) {
    }

    /** The size in device pixels of the tile each receive mid is shown in (simulcast picks layers by it). */
    default void tileSizes(Map<String, TileSize> sizesByMid) {
    }

    /** Frees the connection. Idempotent. */
    void close();
}
