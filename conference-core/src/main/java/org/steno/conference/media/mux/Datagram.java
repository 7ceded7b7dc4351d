package org.steno.conference.media.mux;

import java.net.InetSocketAddress;

/**
 * One datagram read from a media socket, copied out of the reader's buffer.
 *
 * @param pair          the socket it came in on and the address it came from (null only for internal markers)
 * @param arrivalNanos  {@link System#nanoTime()} at read
 * @param arrivalMillis wall clock at read
 */
public record Datagram(PacketKind kind, byte[] data, CandidatePair pair, long arrivalNanos, long arrivalMillis) {

    /** The peer's address. */
    public InetSocketAddress from() {
        return pair == null ? null : pair.remote();
    }
}
