package org.steno.conference.media.sfu;

/**
 * The last {@code capacity} packets a down-track sent (plaintext, already rewritten), by outgoing sequence number,
 * so a subscriber's NACK is answered without asking the publisher. Bounded by count; an entry is only returned if
 * its sequence number matches exactly (a wrapped-over slot is a miss).
 *
 * <p>Each packet is resent at most {@link #MAX_RESENDS} times, and not again within the subscriber's round-trip
 * time: a receiver that repeats its NACK before the first resend could have arrived would otherwise get the same
 * packet twice, and a NACK storm would become most of what the SFU sends.
 */
public final class PacketCache {

    public static final int MAX_RESENDS = 3;

    /** What {@link #forResend} answers. */
    public enum Resend { SEND, MISS, TOO_SOON, TOO_OFTEN }

    private final byte[][] packets;
    private final long[] seqs;
    private final int[] resends;
    private final long[] lastResendNanos;
    private final int mask;

    public PacketCache(int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two");
        }
        packets = new byte[capacityPowerOfTwo][];
        seqs = new long[capacityPowerOfTwo];
        resends = new int[capacityPowerOfTwo];
        lastResendNanos = new long[capacityPowerOfTwo];
        java.util.Arrays.fill(seqs, -1);
        mask = capacityPowerOfTwo - 1;
    }

    public synchronized void put(long extSeq, byte[] packet) {
        int i = (int) (extSeq & mask);
        packets[i] = packet;
        seqs[i] = extSeq;
        resends[i] = 0;
    }

    /** The packet sent with 16-bit sequence number {@code seq}, or null. */
    public synchronized byte[] get(int seq) {
        int i = seq & mask;
        return matches(i, seq) ? packets[i] : null;
    }

    /**
     * Whether the packet {@code seq} may be resent now; when it may ({@link Resend#SEND}), the resend is counted
     * and {@link #get} returns it. {@code minGapNanos} is the subscriber's round-trip time.
     */
    public synchronized Resend forResend(int seq, long nowNanos, long minGapNanos) {
        int i = seq & mask;
        if (!matches(i, seq)) {
            return Resend.MISS;
        }
        if (resends[i] >= MAX_RESENDS) {
            return Resend.TOO_OFTEN;
        }
        if (resends[i] > 0 && nowNanos - lastResendNanos[i] < minGapNanos) {
            return Resend.TOO_SOON;
        }
        resends[i]++;
        lastResendNanos[i] = nowNanos;
        return Resend.SEND;
    }

    private boolean matches(int i, int seq) {
        long s = seqs[i];
        return s >= 0 && (s & 0xFFFF) == seq;
    }
}
