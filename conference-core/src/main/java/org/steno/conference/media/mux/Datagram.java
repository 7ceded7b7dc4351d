package org.steno.conference.media.mux;

import java.net.InetSocketAddress;

/**
 * One datagram read from the media socket, copied out of the reader's buffer.
 *
 * @param arrivalNanos {@link System#nanoTime()} at read
 * @param arrivalMillis wall clock at read
 */
public record Datagram(PacketKind kind, byte[] data, InetSocketAddress from, long arrivalNanos, long arrivalMillis) {
}
