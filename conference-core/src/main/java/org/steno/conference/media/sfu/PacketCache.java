package org.steno.conference.media.sfu;

/**
 * The last {@code capacity} packets a down-track sent (plaintext, already rewritten), by outgoing sequence number,
 * so a subscriber's NACK is answered without asking the publisher. Bounded by count; an entry is only returned if
 * its sequence number matches exactly (a wrapped-over slot is a miss).
 */
public final class PacketCache {

    private final byte[][] packets;
    private final long[] seqs;
    private final int mask;

    public PacketCache(int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two");
        }
        packets = new byte[capacityPowerOfTwo][];
        seqs = new long[capacityPowerOfTwo];
        java.util.Arrays.fill(seqs, -1);
        mask = capacityPowerOfTwo - 1;
    }

    public synchronized void put(long extSeq, byte[] packet) {
        int i = (int) (extSeq & mask);
        packets[i] = packet;
        seqs[i] = extSeq;
    }

    /** The packet sent with 16-bit sequence number {@code seq}, or null. */
    public synchronized byte[] get(int seq) {
        int i = seq & mask;
        long s = seqs[i];
        return s >= 0 && (s & 0xFFFF) == seq ? packets[i] : null;
    }
}
