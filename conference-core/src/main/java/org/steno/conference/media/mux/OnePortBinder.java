package org.steno.conference.media.mux;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds one {@link MediaSocket} per local address, all on the same port: the SDP names one port for every
 * candidate, and firewalls open one. With port 0 the first address picks a free port and the others take the same;
 * if one of them already has it in use, a few more ports are tried before giving up.
 */
public final class OnePortBinder {

    static final int EPHEMERAL_ATTEMPTS = 8;

    private OnePortBinder() {
    }

    /**
     * @throws BindException with one sentence naming the port and the address that could not take it
     */
    public static List<MediaSocket> bind(List<InetAddress> addresses, int port, Counters counters)
            throws SocketException {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address to bind");
        }
        BindException last = null;
        int attempts = port == 0 ? EPHEMERAL_ATTEMPTS : 1;
        for (int attempt = 0; attempt < attempts; attempt++) {
            List<MediaSocket> bound = new ArrayList<>(addresses.size());
            try {
                MediaSocket first = MediaSocket.bind(new InetSocketAddress(addresses.get(0), port), counters);
                bound.add(first);
                for (InetAddress a : addresses.subList(1, addresses.size())) {
                    bound.add(MediaSocket.bind(new InetSocketAddress(a, first.port()), counters));
                }
                return bound;
            } catch (BindException e) {
                bound.forEach(MediaSocket::close);
                if (port != 0 || bound.isEmpty()) {
                    throw e; // a port the operator chose, or the first address has no free port: say so
                }
                last = e; // the kernel's pick on the first address is taken on another: pick again
            } catch (SocketException | RuntimeException e) {
                bound.forEach(MediaSocket::close);
                throw e;
            }
        }
        BindException e = new BindException("no free udp port could be bound on every media address "
                + names(addresses) + " in " + attempts + " tries; the last: " + last.getMessage());
        e.initCause(last);
        throw e;
    }

    private static String names(List<InetAddress> addresses) {
        List<String> l = new ArrayList<>();
        for (InetAddress a : addresses) {
            l.add(a.getHostAddress());
        }
        return String.join(", ", l);
    }
}
