package org.steno.conference.media.mux;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.media.stun.StunException;
import org.steno.conference.media.stun.StunMessage;

/**
 * The single UDP socket every peer shares. One reader thread classifies each datagram by its first byte
 * (RFC 7983), finds its endpoint — by the local ufrag in the STUN USERNAME for a new source, by the source address
 * (learnt from a valid STUN check) otherwise — and hands a copy to the endpoint's bounded queue. The reader never
 * blocks on an endpoint and survives any input.
 */
public final class UdpMux implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpMux.class);
    private static final int MAX_DATAGRAM = 1500;

    private final DatagramSocket socket;
    private final Counters counters;
    private final ConcurrentHashMap<String, PacketSink<Datagram>> byUfrag = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetSocketAddress, PacketSink<Datagram>> byAddress = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    public UdpMux(InetSocketAddress bind, Counters counters) throws SocketException {
        this.socket = new DatagramSocket(null);
        try {
            socket.setReuseAddress(false);
            socket.setReceiveBufferSize(4 * 1024 * 1024);
            socket.setSendBufferSize(4 * 1024 * 1024);
            socket.bind(bind);
        } catch (SocketException e) {
            socket.close();
            throw e;
        }
        this.counters = counters;
        this.reader = new Thread(this::readLoop, "media-udp-reader-" + socket.getLocalPort());
        reader.setDaemon(true);
    }

    public void start() {
        reader.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public void registerUfrag(String localUfrag, PacketSink<Datagram> sink) {
        byUfrag.put(localUfrag, sink);
    }

    /** Routes non-STUN datagrams from {@code address} to {@code sink} (after a valid STUN check from there). */
    public void bindAddress(InetSocketAddress address, PacketSink<Datagram> sink) {
        byAddress.put(address, sink);
    }

    /** Forgets every route to {@code sink} (endpoint closed). */
    public void unregister(PacketSink<Datagram> sink) {
        byUfrag.values().removeIf(s -> s == sink);
        byAddress.values().removeIf(s -> s == sink);
    }

    public int routeCount() {
        return byUfrag.size() + byAddress.size();
    }

    /** Sends a datagram; failures are counted, never thrown (UDP is lossy anyway). */
    public void send(byte[] data, InetSocketAddress to) {
        if (to == null) {
            counters.inc("mux.tx.drop.no-address");
            return;
        }
        try {
            socket.send(new DatagramPacket(data, data.length, to));
            counters.inc("mux.tx");
        } catch (IOException e) {
            counters.inc("mux.tx.error");
        }
    }

    private void readLoop() {
        byte[] buf = new byte[MAX_DATAGRAM + 1];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (running) {
            try {
                p.setData(buf);
                socket.receive(p);
            } catch (IOException e) {
                if (running) {
                    counters.inc("mux.rx.error");
                    LOG.debug("receive failed", e);
                }
                continue;
            }
            try {
                route(buf, p.getLength(), (InetSocketAddress) p.getSocketAddress());
            } catch (RuntimeException e) {
                // Defence in depth: nothing a peer sends may stop the reader.
                counters.inc("mux.drop.error");
                LOG.warn("unexpected error routing a datagram; dropped", e);
            }
        }
    }

    void route(byte[] buf, int len, InetSocketAddress from) {
        long nanos = System.nanoTime();
        counters.inc("mux.rx");
        if (len > MAX_DATAGRAM) {
            counters.inc("mux.drop.oversize");
            return;
        }
        PacketKind kind = PacketKind.of(buf, 0, len);
        PacketSink<Datagram> sink;
        if (kind == PacketKind.UNKNOWN) {
            counters.inc("mux.drop.unknown-kind");
            return;
        }
        if (kind == PacketKind.STUN) {
            sink = stunRoute(buf, len);
            if (sink == null) {
                sink = byAddress.get(from); // e.g. a consent check whose ufrag we no longer know
            }
            if (sink == null) {
                counters.inc("mux.drop.stun-unknown-ufrag");
                return;
            }
        } else {
            sink = byAddress.get(from);
            if (sink == null) {
                counters.inc("mux.drop.unknown-source");
                return;
            }
        }
        counters.inc("mux.rx." + kind.name().toLowerCase(java.util.Locale.ROOT));
        sink.offer(new Datagram(kind, Arrays.copyOf(buf, len), from, nanos, System.currentTimeMillis()));
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

    @Override
    public void close() {
        running = false;
        socket.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byUfrag.clear();
        byAddress.clear();
    }

    public boolean isReaderAlive() {
        return reader.isAlive();
    }
}
