package org.steno.conference.media.sfu;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Last-N video: which participants a subscriber sees on its (at most N) video slots. Screen shares first (the
 * content everyone came for), then the subscriber's pins in its order, then the group's speaker order (the most
 * recent dominant speaker first), then everyone else in join order, so a meeting where nobody has spoken yet shows
 * its first joiners and a new speaker replaces the one who spoke longest ago.
 *
 * <p>The group-wide part ({@link #rank}) is computed once per rebalance; the per-subscriber part ({@link #select})
 * is a linear pass, so a 150-participant meeting costs 150 short passes, not 150 sorts.
 */
final class LastNSelector {

    private LastNSelector() {
    }

    /**
     * The group's video sources in last-N order, before pins: screen shares, then by speaker order, then join
     * order (the sort is stable and {@code video} comes in join order).
     */
    static List<Receiver> rank(List<Receiver> video, List<String> speakerOrder) {
        Map<String, Integer> spoke = new HashMap<>();
        for (int i = 0; i < speakerOrder.size(); i++) {
            spoke.putIfAbsent(speakerOrder.get(i), i);
        }
        List<Receiver> ranked = new ArrayList<>(video);
        ranked.sort(Comparator.comparingInt((Receiver r) -> r.screenShare ? 0 : 1)
                .thenComparingInt(r -> spoke.getOrDefault(r.info.participantId(), Integer.MAX_VALUE)));
        return ranked;
    }

    /**
     * The first {@code n} sources of {@code ranked} for one subscriber: its own video left out, screen shares
     * first, then the sources of its pinned participants, then the rest in rank order.
     */
    static List<Receiver> select(List<Receiver> ranked, String subscriber, List<String> pins, int n) {
        List<Receiver> out = new ArrayList<>(Math.max(0, Math.min(n, ranked.size())));
        if (n <= 0) {
            return out;
        }
        for (Receiver r : ranked) {
            if (out.size() == n || !r.screenShare) {
                break; // screen shares are ranked first
            }
            if (!subscriber.equals(r.info.participantId())) {
                out.add(r);
            }
        }
        for (String pinned : pins) {
            for (Receiver r : ranked) {
                if (out.size() == n) {
                    return out;
                }
                if (pinned.equals(r.info.participantId()) && !subscriber.equals(pinned) && !out.contains(r)) {
                    out.add(r);
                }
            }
        }
        for (Receiver r : ranked) {
            if (out.size() == n) {
                break;
            }
            if (!subscriber.equals(r.info.participantId()) && !out.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }
}
