package org.steno.conference.media.sfu;

/**
 * How many receive slots of each kind an endpoint is asked to have, and when to ask. The request is an absolute
 * target ("have A audio and V video slots"), so asking twice changes nothing; still, it is sent once and not again
 * until an offer that meets it arrives: a page that adds transceivers per request, or a re-offer already in flight
 * that is answered before the page read the request, would otherwise pile up transceivers. The first offer is never
 * asked for (the page always offers first), so nothing is sent before it.
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

    private Counts asked = Counts.NONE;
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
     */
    synchronized Counts next(Counts wanted, Counts slots) {
        if (waiting && offers > offersWhenAsked && lastOffer.covers(asked.min(wanted))) {
            waiting = false;
        }
        if (waiting || slots.covers(wanted)) {
            return null;
        }
        asked = wanted;
        offersWhenAsked = offers;
        waiting = true;
        return wanted;
    }

    /** True while a request is out and no offer has met it (tests). */
    synchronized boolean waiting() {
        return waiting;
    }
}
