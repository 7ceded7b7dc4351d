package org.steno.conference.media.sfu;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.steno.conference.media.TileSize;

/**
 * Picks the simulcast layer one video slot of one subscriber forwards: the smallest layer that fills the tile the
 * page shows it in — at least as wide and as tall, since the page crops to fill (the best one when the page said
 * nothing or no layer is large enough), then lower while
 * the layer's bitrate exceeds the slot's share of the subscriber's bandwidth budget. Only layers that are sending
 * count. The budget is the seam for congestion control: today it comes from the subscriber's REMB and its receiver
 * reports' loss ({@link SubscriberBudget}); a transport-wide-cc / GCC estimate will feed the same number.
 */
final class LayerSelector {

    /** What the selector knows of one layer: its index, the size of its last keyframe (0: none yet), its rate. */
    record Candidate(int index, int width, int height, long bitsPerSecond, boolean active) {
    }

    /** Going up a layer needs its rate within this share of the budget; staying, within all of it. */
    static final double UPGRADE_HEADROOM = 0.75;

    private LayerSelector() {
    }

    /**
     * The index of the layer to forward, or -1 when no layer is sending.
     *
     * @param tile      the tile's size in device pixels (null: unknown, take the best)
     * @param budgetBps what this slot may use, in bits per second ({@link Long#MAX_VALUE}: no limit known)
     * @param current   the layer chosen before (-1: none): one above it must fit {@link #UPGRADE_HEADROOM} of the
     *                  budget, so a rate hovering at the budget does not flip between two layers
     */
    static int select(List<Candidate> layers, TileSize tile, long budgetBps, int current) {
        List<Candidate> active = new ArrayList<>();
        for (Candidate c : layers) {
            if (c.active()) {
                active.add(c);
            }
        }
        if (active.isEmpty()) {
            return -1;
        }
        // Worst to best: by keyframe height where both are known, else by the offer's order (the page lists q, h, f).
        active.sort(Comparator.comparingInt((Candidate c) -> c.height() > 0 ? c.height() : 0)
                .thenComparingInt(Candidate::index));
        if (active.stream().anyMatch(c -> c.height() == 0)) {
            active.sort(Comparator.comparingInt(Candidate::index));
        }
        int pick = active.size() - 1;
        if (tile != null) {
            for (int i = 0; i < active.size(); i++) {
                Candidate c = active.get(i);
                if (c.height() > 0 && c.width() >= tile.width() && c.height() >= tile.height()) {
                    pick = i;
                    break;
                }
            }
        }
        while (pick > 0 && !fits(active.get(pick), budgetBps, current)) {
            pick--;
        }
        return active.get(pick).index();
    }

    private static boolean fits(Candidate c, long budgetBps, int current) {
        if (budgetBps == Long.MAX_VALUE) {
            return true;
        }
        long allowed = current >= 0 && c.index() > current ? (long) (budgetBps * UPGRADE_HEADROOM) : budgetBps;
        return c.bitsPerSecond() <= allowed;
    }

    /** The candidates of a track's layers at {@code nowNanos}. */
    static List<Candidate> candidates(Layer[] layers, long nowNanos) {
        List<Candidate> l = new ArrayList<>(layers.length);
        for (Layer x : layers) {
            l.add(new Candidate(x.index, x.width, x.height, x.bitrate.bitsPerSecond(nowNanos), x.active(nowNanos)));
        }
        return l;
    }
}
