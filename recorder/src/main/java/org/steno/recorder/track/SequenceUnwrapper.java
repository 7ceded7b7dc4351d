package org.steno.recorder.track;

/**
 * Extends RTP's wrapping counters (16-bit sequence numbers, 32-bit timestamps) to 64 bits,
 * taking the nearest value to the last one seen, so wraps and reordering across a wrap work.
 */
final class SequenceUnwrapper {

    private final int bits;
    private final long mask;
    private long last;
    private boolean started;

    SequenceUnwrapper(int bits) {
        this.bits = bits;
        this.mask = (1L << bits) - 1;
    }

    long unwrap(long value) {
        value &= mask;
        if (!started) {
            started = true;
            last = value + (1L << bits); // room below for packets that arrive before the first
            return last;
        }
        long diff = (value - (last & mask)) & mask;
        if (diff >= (1L << (bits - 1))) {
            diff -= 1L << bits;
        }
        long ext = last + diff;
        if (ext > last) {
            last = ext;
        }
        return ext;
    }

    void reset() {
        started = false;
    }
}
