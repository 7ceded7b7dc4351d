package org.steno.conference.mediatap;

import java.util.Set;
import org.steno.conference.tap.PcmFrame;
import org.steno.proto.media.v1.TrackSelection;
import org.steno.proto.media.v1.TrackSelectionMode;

/** Which audio frames a subscription delivers (TrackSelection); events are always delivered. */
record TrackFilter(TrackSelectionMode mode, Set<String> listed) {

    static TrackFilter of(TrackSelection s) {
        TrackSelectionMode mode = s.getMode();
        if (mode == TrackSelectionMode.UNRECOGNIZED) {
            throw new IllegalArgumentException("unknown track selection mode " + s.getModeValue()
                    + "; use ALL_SPEAKERS, MIX, ALL_SPEAKERS_AND_MIX or LISTED");
        }
        if (mode == TrackSelectionMode.TRACK_SELECTION_MODE_UNSPECIFIED) {
            mode = TrackSelectionMode.TRACK_SELECTION_MODE_ALL_SPEAKERS;
        }
        if (mode == TrackSelectionMode.TRACK_SELECTION_MODE_LISTED) {
            if (s.getTrackIdsCount() < 1 || s.getTrackIdsCount() > 64) {
                throw new IllegalArgumentException("mode LISTED needs 1 to 64 track_ids, got " + s.getTrackIdsCount());
            }
        } else if (s.getTrackIdsCount() > 0) {
            throw new IllegalArgumentException("track_ids are only accepted with mode LISTED");
        }
        return new TrackFilter(mode, Set.copyOf(s.getTrackIdsList()));
    }

    boolean accepts(PcmFrame f) {
        return switch (mode) {
            case TRACK_SELECTION_MODE_MIX -> f.mix();
            case TRACK_SELECTION_MODE_ALL_SPEAKERS_AND_MIX -> true;
            case TRACK_SELECTION_MODE_LISTED -> listed.contains(f.trackId());
            default -> !f.mix();
        };
    }
}
