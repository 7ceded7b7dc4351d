package org.steno.conference.media.rtp;

/** Turns 16-bit RTP sequence numbers into 64-bit extended ones, tolerating reordering across the 65535→0 wrap. */
public final class SequenceUnwrapper {

    private long highest = -1;

    /** The extended sequence number of {@code seq}, relative to the highest seen so far. */
    public long unwrap(int seq) {
        if (highest < 0) {
            highest = seq;
            return seq;
        }
        int last = (int) (highest & 0xFFFF);
        int delta = (short) (seq - last); // signed distance in [-32768, 32767]
        long ext = highest + delta;
        if (ext < 0) {
            ext += 65536; // before the first cycle: treat as newer rather than negative
        }
        if (ext > highest) {
            highest = ext;
        }
        return ext;
    }

    public long highest() {
        return highest;
    }
}
