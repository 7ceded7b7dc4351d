package org.steno.conference.media.sfu;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.steno.conference.media.MediaKind;

/**
 * A forwarding group (one meeting): its endpoints, the dominant speaker (with hysteresis) and the speaker order
 * that last-N video follows. Which source each slot carries is decided by {@link TopNSelector},
 * {@link LastNSelector} and {@link SlotAllocator} when the core rebalances. It knows nothing of meetings beyond the
 * id.
 */
final class Group {

    /** Loudness (127 - RFC 6464 level, smoothed) above which someone counts as speaking. */
    static final double SPEAKING = 40;
    /** A challenger must be this many dB louder than the current dominant speaker ... */
    static final double HYSTERESIS_DB = 6;
    /** ... for this many consecutive ticks (200 ms each). */
    static final int SWITCH_TICKS = 2;
    /** Ticks of general silence before the dominant speaker is cleared. */
    static final int SILENCE_TICKS = 15;

    final String id;
    final List<SfuEndpoint> endpoints = new CopyOnWriteArrayList<>();
    /** Participant ids, the most recent dominant speaker first; last-N video shows them in this order. */
    private final List<String> speakerOrder = new ArrayList<>();
    private String dominant;
    private String challenger;
    private int challengerTicks;
    private int silentTicks;

    Group(String id) {
        this.id = id;
    }

    /** All upstream tracks of the group. */
    List<Receiver> receivers() {
        List<Receiver> all = new ArrayList<>();
        for (SfuEndpoint e : endpoints) {
            if (!e.isClosed()) {
                all.addAll(e.receivers());
            }
        }
        return all;
    }

    /**
     * Updates the dominant speaker from the smoothed loudness of every audio track, with hysteresis. Returns the new
     * dominant speaker's participant id if it changed ("" for nobody), else null.
     */
    synchronized String tick(long nowNanos) {
        List<Receiver> audio = new ArrayList<>();
        for (Receiver r : receivers()) {
            if (r.kind() == MediaKind.AUDIO) {
                audio.add(r);
            }
        }
        audio.sort(Comparator.comparingDouble((Receiver r) -> -r.level.loudness(nowNanos)));

        Receiver loudest = audio.isEmpty() ? null : audio.get(0);
        double loudestLevel = loudest == null ? 0 : loudest.level.loudness(nowNanos);
        if (loudest == null || loudestLevel < SPEAKING) {
            challenger = null;
            challengerTicks = 0;
            if (dominant != null && ++silentTicks >= SILENCE_TICKS) {
                dominant = null;
                silentTicks = 0;
                return "";
            }
            return null;
        }
        silentTicks = 0;
        String who = loudest.info.participantId();
        if (who.equals(dominant)) {
            challenger = null;
            challengerTicks = 0;
            return null;
        }
        double current = loudnessOf(dominant, audio, nowNanos);
        if (dominant != null && loudestLevel < current + HYSTERESIS_DB) {
            challenger = null;
            challengerTicks = 0;
            return null;
        }
        if (!who.equals(challenger)) {
            challenger = who;
            challengerTicks = 0;
        }
        if (++challengerTicks >= SWITCH_TICKS || dominant == null) {
            dominant = who;
            challenger = null;
            challengerTicks = 0;
            spoke(who);
            return who;
        }
        return null;
    }

    synchronized String dominantSpeaker() {
        return dominant;
    }

    /** The speaker order: participant ids, the most recent dominant speaker first. */
    synchronized List<String> speakerOrder() {
        return List.copyOf(speakerOrder);
    }

    /** Moves a new dominant speaker to the front; forgets participants who left, so the list stays bounded. */
    private void spoke(String participantId) {
        speakerOrder.remove(participantId);
        speakerOrder.add(0, participantId);
        List<String> present = new ArrayList<>();
        for (SfuEndpoint e : endpoints) {
            if (!e.isClosed()) {
                present.add(e.participantId());
            }
        }
        speakerOrder.retainAll(present);
    }

    private static double loudnessOf(String participant, List<Receiver> audio, long nowNanos) {
        double best = 0;
        if (participant == null) {
            return 0;
        }
        for (Receiver r : audio) {
            if (participant.equals(r.info.participantId())) {
                best = Math.max(best, r.level.loudness(nowNanos));
            }
        }
        return best;
    }
}
