package org.steno.conference.media.mux;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The two ends of one path to a peer: our socket (ICE's local candidate) and the peer's address. Everything sent on
 * a pair leaves from its socket, so the peer sees it come from the address it sent to. Socket identity counts: the
 * same peer address reached through two of our sockets is two pairs.
 */
public record CandidatePair(MediaSocket local, InetSocketAddress remote) {

    public CandidatePair {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
    }

    public void send(byte[] data) {
        local.send(data, remote);
    }
}
