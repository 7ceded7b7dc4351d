package org.steno.conference.media.sfu;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Top-N audio: which sources a subscriber hears on its N audio slots. The loudest speakers win, and a source that
 * already holds one of the subscriber's slots keeps it unless a challenger is {@link #HOLD_DB} louder: without that
 * margin the border between the N-th and the next speaker flips every tick, and every flip is a switch and a
 * {@code slots} message. Below {@link Group#SPEAKING} a source counts as silent, so silent sources keep their slots
 * (then join order) instead of trading places on background noise.
 *
 * <p>The group's ranking ({@link #rank}) is computed once per rebalance; each subscriber's choice ({@link #select})
 * looks at its first N entries and its own slot holders only, so it costs O(N), not a sort per subscriber.
 */
final class TopNSelector {

    /** How much louder (dB of smoothed level) a challenger must be to take a slot from a source that holds it. */
    static final double HOLD_DB = 6;

    private TopNSelector() {
    }

    /** One source's place in the group's ranking: its score (0 when silent) and join order for ties. */
    record Ranked(Receiver source, double score, int order) {
    }

    /** The group's audio sources, loudest first, silent ones (score 0) in join order. */
    record Ranking(List<Ranked> ranked, Map<Receiver, Ranked> bySource) {
    }

    /** Ranks the group's audio sources ({@code audio} in join order) by smoothed loudness now. */
    static Ranking rank(List<Receiver> audio, long nowNanos) {
        List<Ranked> ranked = new ArrayList<>(audio.size());
        Map<Receiver, Ranked> bySource = new IdentityHashMap<>();
        for (Receiver r : audio) {
            double loudness = r.level.loudness(nowNanos);
            Ranked x = new Ranked(r, loudness < Group.SPEAKING ? 0 : loudness, ranked.size());
            ranked.add(x);
            bySource.put(r, x);
        }
        ranked.sort(BEST_FIRST);
        return new Ranking(ranked, bySource);
    }

    private static final Comparator<Ranked> BEST_FIRST =
            Comparator.comparingDouble((Ranked x) -> -x.score()).thenComparingInt(Ranked::order);

    /**
     * The sources {@code subscriber} hears, loudest first, at most {@code n}.
     *
     * @param subscriber the subscriber's participant id (its own audio is never sent back to it)
     * @param holding    the sources on the subscriber's audio slots now
     */
    static List<Receiver> select(Ranking ranking, String subscriber, Collection<Receiver> holding, int n) {
        if (n <= 0) {
            return List.of();
        }
        // Only the first n others and the holders can make the top n: a source below n others ranks below them
        // whatever the holders' margin does.
        List<Ranked> candidates = new ArrayList<>(n + holding.size());
        for (Ranked x : ranking.ranked()) {
            if (candidates.size() == n) {
                break;
            }
            if (!subscriber.equals(x.source().info.participantId()) && !holding.contains(x.source())) {
                candidates.add(x);
            }
        }
        for (Receiver h : holding) {
            Ranked x = ranking.bySource().get(h);
            if (x != null && !subscriber.equals(h.info.participantId())) {
                candidates.add(new Ranked(h, x.score() + HOLD_DB, x.order()));
            }
        }
        candidates.sort(BEST_FIRST);
        List<Receiver> out = new ArrayList<>(n);
        for (int i = 0; i < candidates.size() && out.size() < n; i++) {
            out.add(candidates.get(i).source());
        }
        return out;
    }

    /** {@link #rank} then {@link #select}, for one subscriber (tests). */
    static List<Receiver> select(List<Receiver> audio, String subscriber, Collection<Receiver> holding, int n,
                                 long nowNanos) {
        return select(rank(audio, nowNanos), subscriber, holding, n);
    }
}
