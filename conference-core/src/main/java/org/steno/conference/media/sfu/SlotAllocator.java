package org.steno.conference.media.sfu;

import java.util.ArrayList;
import java.util.List;
import org.steno.conference.media.MediaKind;

/**
 * Puts the sources a selector chose on a subscriber's receive slots of one kind, moving as little as possible: a
 * chosen source already on a slot stays on it (moving it would be a switch for nothing), newcomers take the slots
 * of sources no longer chosen, and slots left over are freed. It decides; the caller binds the switches, so the
 * decision can be tested without sockets.
 */
final class SlotAllocator {

    private SlotAllocator() {
    }

    /** One slot changing source ({@code to} null: the slot is freed). */
    record Switch(DownTrack slot, Receiver from, Receiver to) {

        /**
         * A video slot that starts carrying a source needs a keyframe from it: the subscriber cannot decode the new
         * source's delta frames, so its publisher is asked (PLI) rather than waiting for its next periodic keyframe.
         */
        boolean needsKeyframe() {
            return to != null && slot.kind == MediaKind.VIDEO;
        }
    }

    /**
     * The switches that make {@code slots} carry {@code chosen} (in order of preference: when the slots of a codec
     * run out, the last chosen go without). A slot only takes a source of its codec.
     */
    static List<Switch> allocate(List<DownTrack> slots, List<Receiver> chosen) {
        List<Switch> switches = new ArrayList<>();
        List<DownTrack> free = new ArrayList<>();
        List<Receiver> placed = new ArrayList<>();
        for (DownTrack d : slots) {
            Receiver src = d.source();
            if (src != null && chosen.contains(src) && !placed.contains(src)) {
                placed.add(src);
            } else {
                free.add(d);
            }
        }
        for (Receiver r : chosen) {
            if (placed.contains(r)) {
                continue;
            }
            DownTrack d = firstOfCodec(free, r.info.codec());
            if (d != null) {
                free.remove(d);
                placed.add(r);
                switches.add(new Switch(d, d.source(), r));
            }
        }
        for (DownTrack d : free) {
            if (d.source() != null) {
                switches.add(new Switch(d, d.source(), null));
            }
        }
        return switches;
    }

    private static DownTrack firstOfCodec(List<DownTrack> free, String codec) {
        for (DownTrack d : free) {
            if (d.codec.equalsIgnoreCase(codec)) {
                return d;
            }
        }
        return null;
    }
}
