package org.steno.conference.media.mux;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import org.steno.conference.media.stun.StunException;
import org.steno.conference.media.stun.StunMessage;

/**
 * The media port every peer shares: one {@link MediaSocket} per local address, all on the same port. Each socket's
 * reader classifies a datagram by its first byte (RFC 7983), finds its endpoint — by the local ufrag in the STUN
 * USERNAME for a new source, by the candidate pair (our socket, their address; learnt from a valid STUN check)
 * otherwise — and hands a copy, tagged with the socket it came in on, to the endpoint's bounded queue. Readers never
 * block on an endpoint and survive any input.
 */
public final class UdpMux implements AutoCloseable {

    private final List<MediaSocket> sockets;
    private final Counters counters;
    private final ConcurrentHashMap<String, PacketSink<Datagram>> byUfrag = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<CandidatePair, PacketSink<Datagram>> byPair = new ConcurrentHashMap<>();

    /** Takes ownership of {@code sockets} (all on one port; see {@link OnePortBinder}). */
    public UdpMux(List<MediaSocket> sockets, Counters counters) {
        if (sockets.isEmpty()) {
            throw new IllegalArgumentException("no socket");
        }
        this.sockets = List.copyOf(sockets);
        this.counters = counters;
    }

    public void start() {
        for (MediaSocket s : sockets) {
            s.start(this::route);
        }
    }

    public int port() {
        return sockets.get(0).port();
    }

    /** The bound local addresses, in the order they were given. */
    public List<InetSocketAddress> localAddresses() {
        List<InetSocketAddress> l = new ArrayList<>(sockets.size());
        for (MediaSocket s : sockets) {
            l.add(s.localAddress());
        }
        return l;
    }

    public void registerUfrag(String localUfrag, PacketSink<Datagram> sink) {
        byUfrag.put(localUfrag, sink);
    }

    /** Routes non-STUN datagrams on {@code pair} to {@code sink} (after a valid STUN check on it). */
    public void bindPair(CandidatePair pair, PacketSink<Datagram> sink) {
        byPair.put(pair, sink);
    }

    /** Forgets every route to {@code sink} (endpoint closed). */
    public void unregister(PacketSink<Datagram> sink) {
        byUfrag.values().removeIf(s -> s == sink);
        byPair.values().removeIf(s -> s == sink);
    }

    public int routeCount() {
        return byUfrag.size() + byPair.size();
    }

    /** Sends on {@code pair}: from its socket, to its peer. Failures are counted, never thrown. */
    public void send(byte[] data, CandidatePair pair) {
        if (pair == null) {
            counters.inc("mux.tx.drop.no-address");
            return;
        }
        pair.send(data);
    }

    void route(MediaSocket socket, byte[] buf, int len, InetSocketAddress from) {
        long nanos = System.nanoTime();
        counters.inc("mux.rx");
        if (len > MediaSocket.MAX_DATAGRAM) {
            counters.inc("mux.drop.oversize");
            return;
        }
        PacketKind kind = PacketKind.of(buf, 0, len);
        if (kind == PacketKind.UNKNOWN) {
            counters.inc("mux.drop.unknown-kind");
            return;
        }
        CandidatePair pair = new CandidatePair(socket, from);
        PacketSink<Datagram> sink;
        if (kind == PacketKind.STUN) {
            sink = stunRoute(buf, len);
            if (sink == null) {
                sink = byPair.get(pair); // e.g. a consent check whose ufrag we no longer know
            }
            if (sink == null) {
                counters.inc("mux.drop.stun-unknown-ufrag");
                return;
            }
        } else {
            sink = byPair.get(pair);
            if (sink == null) {
                counters.inc("mux.drop.unknown-source");
                return;
            }
        }
        counters.inc("mux.rx." + kind.name().toLowerCase(Locale.ROOT));
        sink.offer(new Datagram(kind, Arrays.copyOf(buf, len), pair, nanos, System.currentTimeMillis()));
    }

    private PacketSink<Datagram> stunRoute(byte[] buf, int len) {
        StunMessage m;
        try {
            m = StunMessage.parse(buf, 0, len);
        } catch (StunException e) {
            counters.inc("mux.drop.stun-malformed");
            return null;
        }
        String user = m.username();
        if (user == null) {
            return null;
        }
        int colon = user.indexOf(':');
        return byUfrag.get(colon < 0 ? user : user.substring(0, colon));
    }

    /** Closes every socket (freeing the port on every address) and waits for the readers. */
    @Override
    public void close() {
        for (MediaSocket s : sockets) {
            s.close();
        }
        byUfrag.clear();
        byPair.clear();
    }

    public boolean isReaderAlive() {
        return sockets.stream().allMatch(MediaSocket::isReaderAlive);
    }
}
