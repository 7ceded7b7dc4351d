package org.steno.conference.media.sfu;

/**
 * How many receive slots of each kind an endpoint is asked to have, and when to ask. The request is an absolute
 * target ("have A audio and V video slots"), so asking twice changes nothing; still, it is sent once and not again
 * until an offer that meets it arrives: a page that adds transceivers per request, or a re-offer already in flight
 * that is answered before the page read the request, would otherwise pile up transceivers. The first offer is never
 * asked for (the page always offers first), so nothing is sent before it. A request no offer has met within
 * {@link #REPEAT_AFTER_NANOS} is sent again: the target is absolute, so a page that lost or dropped the first one
 * catches up, and one that is merely slow adds nothing twice.
 *
 * <p>Thread-safe: rebalances (under the group's lock) and answers (under the endpoint's) both reach it.
 */
final class SlotTarget {

    /** Receive slots of each kind. */
    record Counts(int audio, int video) {

        static final Counts NONE = new Counts(0, 0);

        boolean covers(Counts c) {
            return audio >= c.audio && video >= c.video;
        }

        Counts min(Counts c) {
            return new Counts(Math.min(audio, c.audio), Math.min(video, c.video));
        }
    }

    /** How long a request may go unmet before it is sent again. */
    static final long REPEAT_AFTER_NANOS = 5_000_000_000L;

    private Counts asked = Counts.NONE;
    private long askedAt;
    private boolean waiting = true; // for the page's first offer
    private int offers;
    private int offersWhenAsked;
    private Counts lastOffer;

    /** An offer was accepted with these receive slots. */
    synchronized void offered(Counts slots) {
        offers++;
        lastOffer = slots;
    }

    /**
     * The target to send now, or null: nothing is missing, or the answer to the last request has not come. An offer
     * made after the request ends the wait if it meets the request, or what is still wanted of it (someone left
     * meanwhile).
     *
     * @param wanted what the endpoint should have now (bounded by top-N and last-N)
     * @param slots  what its last offer gave it
     * @param now    {@link System#nanoTime()}
     */
    synchronized Counts next(Counts wanted, Counts slots, long now) {
        if (waiting && offers > offersWhenAsked && lastOffer.covers(asked.min(wanted))) {
            waiting = false;
        }
        if (slots.covers(wanted)) {
            return null;
        }
        boolean unmetTooLong = waiting && offers > 0 && now - askedAt >= REPEAT_AFTER_NANOS;
        if (waiting && !unmetTooLong) {
            return null;
        }
        asked = wanted;
        askedAt = now;
        offersWhenAsked = offers;
        waiting = true;
        return wanted;
    }

    /** True while a request is out and no offer has met it (tests). */
    synchronized boolean waiting() {
        return waiting;
    }
}
