package org.steno.simulator.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads every simulated peer shares, whatever their number: {@code readers} selector threads reading the
 * peers' sockets (a peer belongs to one, so its inbound state has one writer), one ticker that every 20 ms sends
 * each connected peer's next audio packet (and video frame, reports, consent checks), and a small pool for the
 * DTLS handshakes (BouncyCastle's client blocks while it waits for the server's flights, 25 s at most).
 */
public final class MediaLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaLoop.class);
    public static final long TICK_MILLIS = 20;

    private final List<Reader> readers = new CopyOnWriteArrayList<>();
    private final List<PeerMedia> peers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker;
    private final ExecutorService handshakes;
    private final AtomicInteger next = new AtomicInteger();
    private long tick;

    public MediaLoop(int readerThreads, int handshakeThreads) throws IOException {
        for (int i = 0; i < readerThreads; i++) {
            Reader r = new Reader("simulate-media-" + i);
            readers.add(r);
            r.thread.start();
        }
        ticker = Executors.newSingleThreadScheduledExecutor(daemon("simulate-ticker"));
        handshakes = Executors.newFixedThreadPool(handshakeThreads, daemon("simulate-dtls"));
        ticker.scheduleAtFixedRate(this::tickAll, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts serving a peer's socket. */
    public void add(PeerMedia peer) {
        int i = next.getAndIncrement();
        peers.add(peer);
        readers.get(i % readers.size()).register(peer);
    }

    public void remove(PeerMedia peer) {
        peers.remove(peer);
    }

    private void tickAll() {
        long t = tick++;
        int i = 0;
        for (PeerMedia p : peers) {
            try {
                // Peers are spread over the second: their reports and consent checks do not all leave on one tick.
                p.tick(t, i++, handshakes);
            } catch (RuntimeException e) {
                LOG.warn("simulated peer {} failed while sending", p.name, e);
                p.fail("sending failed: " + e);
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        handshakes.shutdownNow();
        for (Reader r : readers) {
            r.close();
        }
        try {
            ticker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One selector thread: reads every datagram of its peers' sockets and hands it to the peer. */
    private final class Reader {
        final Selector selector;
        final Thread thread;
        final ConcurrentLinkedQueue<PeerMedia> pending = new ConcurrentLinkedQueue<>();
        volatile boolean running = true;

        Reader(String name) throws IOException {
            selector = Selector.open();
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
        }

        void register(PeerMedia p) {
            pending.add(p);
            selector.wakeup();
        }

        void run() {
            ByteBuffer buf = ByteBuffer.allocate(2048);
            try {
                while (running) {
                    selector.select(100);
                    PeerMedia p;
                    while ((p = pending.poll()) != null) {
                        try {
                            p.channel.register(selector, SelectionKey.OP_READ, p);
                        } catch (IOException e) {
                            p.fail("cannot watch the socket: " + e.getMessage());
                        }
                    }
                    for (SelectionKey k : selector.selectedKeys()) {
                        readAll((PeerMedia) k.attachment(), buf);
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ClosedSelectorException e) {
                // closing
            }
        }

        private void readAll(PeerMedia p, ByteBuffer buf) {
            try {
                while (true) {
                    buf.clear();
                    InetSocketAddress from = (InetSocketAddress) p.channel.receive(buf);
                    if (from == null) {
                        return;
                    }
                    try {
                        p.onDatagram(buf.array(), buf.position(), from, handshakes);
                    } catch (RuntimeException e) {
                        // A datagram we cannot make sense of is counted, never the end of the loop.
                        p.counters().dropped.increment();
                        LOG.debug("simulated peer {}: bad datagram", p.name, e);
                    }
                }
            } catch (IOException e) {
                if (p.channel.isOpen()) {
                    p.fail("socket error: " + e.getMessage());
                }
            }
        }

        void close() {
            running = false;
            selector.wakeup();
            try {
                thread.join(2000);
                selector.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
