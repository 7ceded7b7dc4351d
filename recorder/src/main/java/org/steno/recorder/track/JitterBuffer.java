package org.steno.recorder.track;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts packets back in sequence order. It holds up to {@code depth} packets; when more arrive the
 * oldest leaves, whether or not the ones before it came (those are lost). Packets older than the
 * last one released, and duplicates, are dropped.
 */
final class JitterBuffer<T> {

    private final int depth;
    private final TreeMap<Long, T> held = new TreeMap<>();
    private long lastReleased = Long.MIN_VALUE;
    private long dropped;

    JitterBuffer(int depth) {
        this.depth = depth;
    }

    /** Adds a packet; returns those now ready, in order. */
    List<T> push(long extendedSeq, T packet) {
        if (extendedSeq <= lastReleased || held.containsKey(extendedSeq)) {
            dropped++;
            return List.of();
        }
        held.put(extendedSeq, packet);
        List<T> ready = new ArrayList<>(2);
        // Release at once what directly follows the last released packet; hold the rest until depth.
        while (!held.isEmpty()) {
            Map.Entry<Long, T> first = held.firstEntry();
            boolean next = lastReleased != Long.MIN_VALUE && first.getKey() == lastReleased + 1;
            if (!next && held.size() <= depth) {
                break;
            }
            held.pollFirstEntry();
            lastReleased = first.getKey();
            ready.add(first.getValue());
        }
        return ready;
    }

    /** Everything held, in order (end of track, SSRC change). */
    List<T> drain() {
        List<T> all = new ArrayList<>(held.values());
        if (!held.isEmpty()) {
            lastReleased = held.lastKey();
        }
        held.clear();
        return all;
    }

    void reset() {
        held.clear();
        lastReleased = Long.MIN_VALUE;
    }

    long dropped() {
        return dropped;
    }
}
