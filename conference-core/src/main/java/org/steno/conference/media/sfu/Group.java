package org.steno.conference.media.sfu;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.steno.conference.media.MediaKind;

/**
 * A forwarding group (one meeting): which endpoint receives which track on which slot, the audio ranking for
 * top-N forwarding, and the dominant speaker. It knows nothing of meetings beyond the id.
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
    private volatile List<Receiver> audioRanking = List.of();
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
     * True if {@code r}'s audio goes to {@code subscriber}: it ranks among the {@code n} loudest tracks of the
     * group, not counting the subscriber's own.
     */
    boolean forwardsAudio(Receiver r, SfuEndpoint subscriber, int n) {
        int ahead = 0;
        for (Receiver x : audioRanking) {
            if (x == r) {
                return ahead < n;
            }
            if (x.publisher != subscriber) {
                ahead++;
            }
        }
        return ahead < n; // not ranked yet (just joined): forward while there is room
    }

    /**
     * Re-ranks audio by smoothed loudness and updates the dominant speaker with hysteresis. Returns the new
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
        audioRanking = List.copyOf(audio);

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
            return who;
        }
        return null;
    }

    synchronized String dominantSpeaker() {
        return dominant;
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
