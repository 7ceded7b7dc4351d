package org.steno.conference.media.mux;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.media.MediaPortInUseException;

/**
 * One UDP socket bound to one local address, and the thread that reads it. Every datagram read is handed on with
 * this socket, so a reply can leave from the address the peer sent to: with a wildcard bind the kernel picks the
 * source of each reply by route, and Chromium ignores STUN responses that do not come from the address it checked.
 */
public final class MediaSocket implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaSocket.class);
    static final int MAX_DATAGRAM = 1500;

    /** Receives what the reader thread reads; it must not block and must not throw. */
    public interface DatagramHandler {
        void onDatagram(MediaSocket socket, byte[] buf, int len, InetSocketAddress from);
    }

    private final DatagramSocket socket;
    private final InetSocketAddress localAddress;
    private final Counters counters;
    private Thread reader;
    private volatile boolean running = true;

    private MediaSocket(DatagramSocket socket, Counters counters) {
        this.socket = socket;
        this.localAddress = (InetSocketAddress) socket.getLocalSocketAddress();
        this.counters = counters;
    }

    /**
     * Binds {@code address} (port 0: a free one).
     *
     * @throws MediaPortInUseException when the port is taken on that address
     */
    public static MediaSocket bind(InetSocketAddress address, Counters counters) throws SocketException {
        DatagramSocket s = new DatagramSocket(null);
        try {
            s.setReuseAddress(false);
            s.setReceiveBufferSize(4 * 1024 * 1024);
            s.setSendBufferSize(4 * 1024 * 1024);
            s.bind(address);
        } catch (BindException e) {
            s.close();
            throw new MediaPortInUseException(address, e);
        } catch (SocketException e) {
            s.close();
            throw e;
        }
        return new MediaSocket(s, counters);
    }

    /** Starts the reader thread; call once. */
    public synchronized void start(DatagramHandler handler) {
        if (reader != null) {
            throw new IllegalStateException("already started");
        }
        reader = new Thread(() -> readLoop(handler),
                "media-udp-reader-" + port() + "-" + localAddress.getAddress().getHostAddress());
        reader.setDaemon(true);
        reader.start();
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public int port() {
        return localAddress.getPort();
    }

    /** Sends a datagram from this socket's address; failures are counted, never thrown (UDP is lossy anyway). */
    public void send(byte[] data, InetSocketAddress to) {
        try {
            socket.send(new DatagramPacket(data, data.length, to));
            counters.inc("mux.tx");
        } catch (IOException | IllegalArgumentException e) {
            counters.inc("mux.tx.error"); // IllegalArgumentException: e.g. an IPv6 peer on an IPv4 socket
        }
    }

    private void readLoop(DatagramHandler handler) {
        byte[] buf = new byte[MAX_DATAGRAM + 1];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (running) {
            try {
                p.setData(buf);
                socket.receive(p);
            } catch (IOException e) {
                if (running) {
                    counters.inc("mux.rx.error");
                    LOG.debug("receive failed on {}", localAddress, e);
                }
                continue;
            }
            try {
                handler.onDatagram(this, buf, p.getLength(), (InetSocketAddress) p.getSocketAddress());
            } catch (RuntimeException e) {
                // Defence in depth: nothing a peer sends may stop the reader.
                counters.inc("mux.drop.error");
                LOG.warn("unexpected error routing a datagram; dropped", e);
            }
        }
    }

    public boolean isReaderAlive() {
        Thread t = reader;
        return t != null && t.isAlive();
    }

    /** Closes the socket (freeing its port) and waits for the reader to end. */
    @Override
    public void close() {
        running = false;
        socket.close();
        Thread t;
        synchronized (this) {
            t = reader;
        }
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "udp/" + localAddress.getAddress().getHostAddress() + ":" + port();
    }
}
