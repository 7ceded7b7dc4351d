package org.steno.conference.media.sfu;

/**
 * How many retransmissions a subscriber may get: one for every {@value #PACKETS_PER_RESEND} packets
 * forwarded to it, saved up to {@value #MAX_SAVED}. Resends then never exceed a quarter of a
 * subscriber's media, however many NACKs it sends (until bandwidth estimation gives a better bound).
 */
final class RetransmitBudget {

    static final int PACKETS_PER_RESEND = 4;
    static final int MAX_SAVED = 256;

    private int forwardedSinceCredit;
    private int credits = MAX_SAVED / 4;

    synchronized void onForwarded() {
        if (++forwardedSinceCredit >= PACKETS_PER_RESEND) {
            forwardedSinceCredit = 0;
            if (credits < MAX_SAVED) {
                credits++;
            }
        }
    }

    synchronized boolean tryTake() {
        if (credits == 0) {
            return false;
        }
        credits--;
        return true;
    }
}
