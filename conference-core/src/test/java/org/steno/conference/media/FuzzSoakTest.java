package org.steno.conference.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.steno.conference.media.sdp.SdpTest;

/**
 * Issue #3's robustness clause as one long run: two legitimate stand-in browsers exchange audio while several
 * sockets pour random, truncated, bit-flipped and replayed STUN, DTLS, RTP and RTCP at the port and short-lived fake
 * peers are created and abandoned. The legitimate media must keep flowing in every 5 s window, no media thread may
 * die or multiply, every abandoned endpoint must be closed by consent expiry (or its failed DTLS), every hostile
 * datagram must show up in a drop counter, and the heap must stay flat.
 */
class FuzzSoakTest {

    /**
     * Short so abandoned peers expire within the run, yet not shorter: the heap probes' full GCs stop the world on
     * this loaded machine and a pause longer than the timeout would expire the legitimate peers too (seen with 3 s).
     */
    private static final Duration CONSENT = Duration.ofSeconds(5);
    private static final long SOAK_MILLIS = 24_000;
    private static final long WINDOW_MILLIS = 5_000;
    private static final int HOSTILE_SOURCES = 3;
    /**
     * Allowed growth of the used heap (after full GCs) from the 10 s mark (about a third) to the end of the soak.
     * Both probes see the same bounded live state: ~40 fake peers (consent 5 s, one every ~130 ms; per endpoint at
     * most a 512-datagram queue and 128 pending SRTP datagrams, mostly empty) and a whole JVM at ~21 MB used, which
     * moves by ±2 MB between probes. Between them ~130 peers are abandoned and ~170 000 hostile datagrams arrive, so
     * keeping ~130 kB per vanished peer, or ~100 bytes per datagram, would cross this bound.
     */
    private static final long HEAP_GROWTH_BOUND = 16L << 20;

    private final AtomicLong hostileSent = new AtomicLong();
    private final AtomicLong legitSent = new AtomicLong();
    private final AtomicLong legitReceived = new AtomicLong();
    private final AtomicLong maxGap = new AtomicLong();
    private final AtomicLong ghostsCreated = new AtomicLong();
    private final Map<String, String> ghostClosedReasons = new ConcurrentHashMap<>();
    /** Recent legitimate SRTP datagrams from alice, for replays and bit flips. */
    private final AtomicReferenceArray<byte[]> captured = new AtomicReferenceArray<>(256);
    /** Stops the hostile sources and the ghost factory. */
    private volatile boolean stop;
    /** Stops the legitimate call (after the cleanup wait: alice and bob keep consent fresh until then). */
    private volatile boolean stopLegit;
    private final List<Throwable> helperFailures = new ArrayList<>();

    @Test
    void theServerKeepsServingAndLeaksNothingUnderALongHostileSoak() throws Exception {
        MediaSettings settings = MediaSettings.of("127.0.0.1", 0, "127.0.0.1").withConsentTimeout(CONSENT);
        try (MediaServer m = MediaServer.start(settings);
             FakeBrowser alice = new FakeBrowser(m, "room", "alice", null);
             FakeBrowser bob = new FakeBrowser(m, "room", "bob", null)) {
            m.addListener(new MediaListener() {
                @Override
                public void onEndpointClosed(Endpoint endpoint, String reason) {
                    if (endpoint.participantId().startsWith("ghost-")) {
                        ghostClosedReasons.put(endpoint.id(), reason);
                    }
                }
            });
            alice.connect();
            bob.connect();
            awaitConnected(alice.endpoint, bob.endpoint);

            Map<String, Thread> mediaThreadsBefore = mediaThreads();
            Set<Thread> threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
            int threadCountBefore = threadsBefore.size();
            assertThat(mediaThreadsBefore.keySet()).anyMatch(n -> n.startsWith("media-udp-reader-"))
                    .anyMatch(n -> n.startsWith("media-worker-")).anyMatch(n -> n.startsWith("media-timer-"));

            List<Thread> legit = new ArrayList<>();
            legit.add(helper("soak-legit-sender", () -> sendLegitMedia(alice, bob)));
            legit.add(helper("soak-legit-receiver", () -> receiveLegitMedia(bob)));
            List<Thread> helpers = new ArrayList<>();
            helpers.add(helper("soak-ghosts", () -> createAndAbandonGhosts(m)));
            helpers.add(helper("soak-replayer", () -> replayAtTheLegitSource(alice)));
            for (int i = 0; i < HOSTILE_SOURCES; i++) {
                int seed = i;
                helpers.add(helper("soak-hostile-" + i, () -> flood(m, bob.answer, seed)));
            }
            legit.forEach(Thread::start);
            helpers.forEach(Thread::start);

            long t0 = System.currentTimeMillis();
            List<long[]> windows = new ArrayList<>(); // {received by bob, sfu.forward.audio}
            long lastReceived = legitReceived.get();
            long lastForwarded = counter(m, "sfu.forward.audio");
            long heapAtThird = -1;
            for (long t = WINDOW_MILLIS; t <= SOAK_MILLIS; t += WINDOW_MILLIS) {
                sleepUntil(t0 + t);
                long rec = legitReceived.get();
                long fwd = counter(m, "sfu.forward.audio");
                windows.add(new long[] {rec - lastReceived, fwd - lastForwarded});
                lastReceived = rec;
                lastForwarded = fwd;
                if (heapAtThird < 0 && t >= SOAK_MILLIS / 3) {
                    heapAtThird = usedHeapAfterGc();
                }
            }
            sleepUntil(t0 + SOAK_MILLIS);
            long heapAtEnd = usedHeapAfterGc();
            stop = true;
            for (Thread h : helpers) {
                h.join(10_000);
                assertThat(h.isAlive()).as("%s stopped", h.getName()).isFalse();
            }
            // every abandoned peer goes away by itself: consent expiry (checked every second) or its failed DTLS
            long cleanupStart = System.currentTimeMillis();
            while (m.endpointCount() > 2 && System.currentTimeMillis() - cleanupStart < 15_000) {
                Thread.sleep(100);
            }
            long cleanupMillis = System.currentTimeMillis() - cleanupStart;
            Thread.sleep(1500); // handshake threads of closed ghosts notice the close
            long heapAfterCleanup = usedHeapAfterGc();
            stopLegit = true;
            for (Thread h : legit) {
                h.join(10_000);
                assertThat(h.isAlive()).as("%s stopped", h.getName()).isFalse();
            }
            synchronized (helperFailures) {
                assertThat(helperFailures).as("test helper threads ran without errors").isEmpty();
            }
            Map<String, Long> c = m.counters();
            Map<String, Long> reasons = ghostClosedReasons.values().stream()
                    .collect(Collectors.groupingBy(r -> r, java.util.TreeMap::new, Collectors.counting()));
            Map<String, Thread> mediaThreadsAfter = mediaThreads();
            Map<String, Thread> all = Thread.getAllStackTraces().keySet().stream()
                    .collect(Collectors.toMap(Thread::getName, t -> t, (x, y) -> x));
            List<String> busyHandshakes = Thread.getAllStackTraces().entrySet().stream()
                    .filter(e -> e.getKey().getName().startsWith("media-dtls-"))
                    .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith("org.bouncycastle")))
                    .map(e -> e.getKey().getName()).toList();

            System.out.printf("FuzzSoak: %d s soak, consent timeout %d s, %d hostile sources%n",
                    SOAK_MILLIS / 1000, CONSENT.toSeconds(), HOSTILE_SOURCES);
            System.out.printf("FuzzSoak: hostile datagrams sent %d, legit RTP sent %d, received by bob %d,"
                    + " longest pause of alice's sender %d ms%n",
                    hostileSent.get(), legitSent.get(), legitReceived.get(), maxGap.get());
            System.out.printf("FuzzSoak: per 5 s window [bob received, sfu.forward.audio]: %s%n",
                    windows.stream().map(Arrays::toString).collect(Collectors.joining(" ")));
            System.out.printf("FuzzSoak: ghosts created %d, closed %d %s, endpoints left %d, %d ms after the soak%n",
                    ghostsCreated.get(), ghostClosedReasons.size(), reasons, m.endpointCount(), cleanupMillis);
            System.out.printf("FuzzSoak: used heap after GC: at 1/3 %.1f MB, at end %.1f MB, after cleanup %.1f MB%n",
                    heapAtThird / 1048576.0, heapAtEnd / 1048576.0, heapAfterCleanup / 1048576.0);
            Map<String, Long> newThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !threadsBefore.contains(t))
                    .collect(Collectors.groupingBy(t -> t.getName().replaceAll("\\d+", "N"), java.util.TreeMap::new,
                            Collectors.counting()));
            System.out.printf("FuzzSoak: threads before %d, after %d (new: %s; media %s); busy handshake threads %s%n",
                    threadCountBefore, all.size(), newThreads, mediaThreadsAfter.keySet(), busyHandshakes);
            System.out.println("FuzzSoak: counters "
                    + c.entrySet().stream().filter(e -> e.getKey().contains("drop") || e.getKey().contains("rx")
                            || e.getKey().contains("error") || e.getKey().startsWith("endpoint"))
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));

            // the legitimate call never stopped
            assertThat(windows).hasSize((int) (SOAK_MILLIS / WINDOW_MILLIS));
            for (long[] w : windows) {
                // 250 packets are sent per window; demand a tenth so a loaded machine passes but a stall does not
                assertThat(w[0]).as("bob received media in every 5 s window").isGreaterThan(25);
                assertThat(w[1]).as("the SFU forwarded audio in every 5 s window").isGreaterThan(25);
            }
            assertThat(alice.endpoint.isClosed()).isFalse();
            assertThat(bob.endpoint.isClosed()).isFalse();

            // no thread died, none multiplied
            for (Map.Entry<String, Thread> e : mediaThreadsBefore.entrySet()) {
                assertThat(mediaThreadsAfter.get(e.getKey())).as("%s is the same live thread", e.getKey())
                        .isSameAs(e.getValue());
                assertThat(e.getValue().isAlive()).isTrue();
            }
            assertThat(mediaThreadsAfter.keySet()).containsExactlyInAnyOrderElementsOf(mediaThreadsBefore.keySet());
            // handshake threads are pooled (at most 32, idle ones expire after 30 s) and none is held by a ghost
            assertThat(all.keySet().stream().filter(n -> n.startsWith("media-dtls-")).count()).isLessThanOrEqualTo(32);
            assertThat(busyHandshakes).as("no handshake thread still serves a vanished peer").isEmpty();
            assertThat(all.size()).as("thread count").isLessThanOrEqualTo(threadCountBefore + 32 + 4);
            assertThat(c.getOrDefault("worker.error", 0L)).as("no handler threw").isZero();
            assertThat(c.getOrDefault("mux.drop.error", 0L)).as("the reader never threw").isZero();
            assertThat(c.getOrDefault("timer.error", 0L)).as("no timer task threw").isZero();

            // abandoned peers were all cleaned up, most of them by consent expiry
            assertThat(m.endpointCount()).as("only alice and bob are left").isEqualTo(2);
            assertThat(ghostsCreated.get()).isGreaterThan(50);
            assertThat(ghostClosedReasons).hasSize((int) ghostsCreated.get());
            assertThat(reasons.getOrDefault("consent-timeout", 0L)).isGreaterThan(ghostsCreated.get() / 2);
            assertThat(c.get("endpoint.created")).isEqualTo(ghostsCreated.get() + 2);

            // the hostile datagrams were counted, not swallowed
            assertThat(c.get("mux.rx")).isGreaterThan(hostileSent.get() / 2);
            // every datagram the reader took is either dropped under a named reason or routed to an endpoint
            // (a malformed STUN message also counts as stun-malformed on its way to stun-unknown-ufrag)
            long accounted = 0;
            for (String k : List.of("mux.drop.oversize", "mux.drop.unknown-kind", "mux.drop.unknown-source",
                    "mux.drop.stun-unknown-ufrag", "mux.rx.stun", "mux.rx.dtls", "mux.rx.rtp", "mux.rx.rtcp")) {
                accounted += c.getOrDefault(k, 0L);
            }
            assertThat(accounted).as("datagrams dropped by reason + routed").isEqualTo(c.get("mux.rx"));
            assertThat(c.getOrDefault("mux.drop.unknown-source", 0L)).isGreaterThan(hostileSent.get() / 10);
            assertThat(c.getOrDefault("mux.drop.stun-malformed", 0L) + c.getOrDefault("mux.drop.stun-unknown-ufrag", 0L))
                    .isPositive();
            assertThat(c.getOrDefault("stun.drop.bad-fingerprint", 0L) + c.getOrDefault("stun.drop.malformed", 0L))
                    .as("broken copies of bob's checks reached his agent and were refused").isPositive();
            assertThat(c.getOrDefault("srtp.drop.replay", 0L)).isPositive();
            assertThat(c.getOrDefault("srtp.drop.auth", 0L)).isPositive();
            assertThat(c.getOrDefault("srtp.drop.before-keys", 0L) + c.getOrDefault("dtls.rx", 0L)).isPositive();

            // and the heap stayed flat
            assertThat(heapAtEnd - heapAtThird).as("heap growth from 1/3 to the end of the soak")
                    .isLessThan(HEAP_GROWTH_BOUND);
            assertThat(heapAfterCleanup - heapAtThird).as("heap growth after cleanup")
                    .isLessThan(HEAP_GROWTH_BOUND);
        }
    }

    // ------------------------------------------------------------ legitimate peers

    /** Alice sends 20 ms audio packets; both keep ICE consent fresh every 300 ms. */
    private void sendLegitMedia(FakeBrowser alice, FakeBrowser bob) throws Exception {
        byte[] payload = new byte[80];
        long last = System.nanoTime();
        for (int i = 0; !stopLegit; i++) {
            long now = System.nanoTime();
            maxGap.accumulateAndGet((now - last) / 1_000_000, Math::max);
            last = now;
            payload[0] = (byte) i;
            byte[] sent = alice.sendRtp(FakeBrowser.audioPacket(i & 0xFFFF, 960L * i, 20, payload));
            captured.set(i % captured.length(), sent);
            legitSent.incrementAndGet();
            if (i % 15 == 0) {
                alice.stun.send(alice.stun.bindingRequest(true, alice.stun.serverPwd));
                bob.stun.send(bob.stun.bindingRequest(true, bob.stun.serverPwd));
                alice.srtpIn.clear(); // RTCP for alice (RR, PLI): not looked at here
            }
            Thread.sleep(20);
        }
    }

    private void receiveLegitMedia(FakeBrowser bob) throws Exception {
        while (!stopLegit) {
            if (bob.receive(false, 200) != null) {
                legitReceived.incrementAndGet();
            }
        }
    }

    /** From alice's own address: exact replays of her SRTP and bit-flipped copies (duplication and corruption). */
    private void replayAtTheLegitSource(FakeBrowser alice) throws Exception {
        Random r = new Random(7);
        while (!stop) {
            for (int k = 0; k < 10; k++) {
                byte[] p = captured.get(r.nextInt(captured.length()));
                if (p == null) {
                    continue;
                }
                byte[] b = p.clone();
                if (k % 4 == 1) { // corrupted payload or tag: same index, so the replay window refuses it first
                    b[12 + r.nextInt(b.length - 12)] ^= (byte) (1 + r.nextInt(255));
                } else if (k % 4 == 3) { // corrupted sequence number: a fresh index, so authentication refuses it
                    b[2 + r.nextInt(2)] ^= (byte) (1 + r.nextInt(255));
                }
                alice.stun.send(b);
                hostileSent.incrementAndGet();
            }
            Thread.sleep(50);
        }
    }

    // ------------------------------------------------------------ abandoned peers

    /**
     * Every 120 ms a fake peer: an endpoint in the legitimate room (so it takes slots and gets forwarded to), an
     * answer, a few STUN checks (one replayed), sometimes a ClientHello-looking record and junk RTP, then silence.
     * Every fifth never checks at all.
     */
    private void createAndAbandonGhosts(MediaServer m) throws Exception {
        Random r = new Random(11);
        String offer = SdpTest.chromiumOffer();
        for (int n = 0; !stop; n++) {
            Endpoint ghost = m.createEndpoint("room", "ghost-" + n);
            ghostsCreated.incrementAndGet();
            String answer = m.answer(ghost, offer);
            if (n % 5 != 4) {
                try (StunClient c = new StunClient(m.port(), answer, "lTin")) {
                    c.socket.setSoTimeout(300);
                    byte[] check = c.bindingRequest(n % 2 == 0, c.serverPwd);
                    c.send(check);
                    c.send(check); // replayed check
                    c.send(c.bindingRequest(false, c.serverPwd));
                    if (n % 3 == 0) {
                        c.send(clientHelloLike(r));
                        for (int k = 0; k < 5; k++) {
                            c.send(rtpWithGarbage(r));
                            c.send(rtcpWithGarbage(r));
                        }
                    }
                }
            }
            Thread.sleep(120);
        }
    }

    // ------------------------------------------------------------ hostile sources

    /** Paced bursts of every kind of junk from one source address that never passed ICE. */
    private void flood(MediaServer m, String bobAnswer, int seed) throws Exception {
        Random r = new Random(1000 + seed);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", m.port());
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             StunClient bobsName = new StunClient(m.port(), bobAnswer, "zz")) {
            // a check with bob's real ufrag and password: the broken copies below are close to valid, yet none
            // may pass (a whole valid replay from another address is an ICE hijack that needs the password)
            byte[] valid = null;
            for (int i = 0; !stop; i++) {
                if (i % 200 == 0) {
                    valid = bobsName.bindingRequest(true, bobsName.serverPwd);
                }
                byte[] d = junk(r, i, valid);
                s.send(new DatagramPacket(d, d.length, server));
                hostileSent.incrementAndGet();
                if (i % 40 == 39) {
                    Thread.sleep(10);
                }
            }
        }
    }

    private byte[] junk(Random r, int i, byte[] validStun) {
        switch (i % 9) {
            case 0: { // random bytes, any first byte
                byte[] b = new byte[r.nextInt(1400)];
                r.nextBytes(b);
                return b;
            }
            case 1: // truncated STUN
                return Arrays.copyOf(validStun, r.nextInt(validStun.length));
            case 2: { // STUN with a flipped byte (FINGERPRINT or MESSAGE-INTEGRITY must catch it)
                byte[] b = validStun.clone();
                b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                return b;
            }
            case 3:
                return clientHelloLike(r);
            case 4:
                return rtpWithGarbage(r);
            case 5:
                return rtcpWithGarbage(r);
            case 6: { // replayed legitimate SRTP from the wrong address
                byte[] p = captured.get(r.nextInt(captured.length()));
                return p == null ? rtpWithGarbage(r) : p.clone();
            }
            case 7: { // truncated legitimate SRTP
                byte[] p = captured.get(r.nextInt(captured.length()));
                return p == null ? new byte[] {(byte) 0x80} : Arrays.copyOf(p, r.nextInt(p.length));
            }
            default: { // STUN-looking header with garbage attributes
                byte[] b = new byte[20 + 4 * r.nextInt(40)];
                r.nextBytes(b);
                b[0] = 0;
                b[1] = 1;
                b[2] = (byte) ((b.length - 20) >> 8);
                b[3] = (byte) (b.length - 20);
                b[4] = 0x21;
                b[5] = 0x12;
                b[6] = (byte) 0xA4;
                b[7] = 0x42;
                return b;
            }
        }
    }

    /** A DTLS 1.2 handshake record whose body starts like a ClientHello, the rest random (sometimes truncated). */
    static byte[] clientHelloLike(Random r) {
        int body = 40 + r.nextInt(200);
        byte[] b = new byte[13 + 12 + body];
        r.nextBytes(b);
        b[0] = 22; // handshake
        b[1] = (byte) 0xFE;
        b[2] = (byte) 0xFD; // DTLS 1.2
        b[3] = 0;
        b[4] = 0; // epoch 0
        int len = 12 + body;
        b[11] = (byte) (len >> 8);
        b[12] = (byte) len;
        b[13] = 1; // client_hello
        b[14] = 0;
        b[15] = (byte) (body >> 8);
        b[16] = (byte) body;
        b[17] = 0;
        b[18] = 0; // message_seq 0
        b[19] = 0;
        b[20] = 0;
        b[21] = 0; // fragment_offset 0
        b[22] = 0;
        b[23] = (byte) (body >> 8);
        b[24] = (byte) body;
        b[25] = (byte) 0xFE;
        b[26] = (byte) 0xFD; // client_version
        return r.nextInt(4) == 0 ? Arrays.copyOf(b, 13 + r.nextInt(b.length - 13)) : b;
    }

    /** A well-formed RTP header (v2, Opus payload type, alice's SSRC or a random one) with a random payload. */
    static byte[] rtpWithGarbage(Random r) {
        byte[] b = new byte[12 + r.nextInt(1200)];
        r.nextBytes(b);
        b[0] = (byte) 0x80;
        b[1] = (byte) (r.nextBoolean() ? FakeBrowser.AUDIO_PT : 96 + r.nextInt(32));
        if (r.nextBoolean()) {
            long ssrc = FakeBrowser.AUDIO_SSRC;
            b[8] = (byte) (ssrc >> 24);
            b[9] = (byte) (ssrc >> 16);
            b[10] = (byte) (ssrc >> 8);
            b[11] = (byte) ssrc;
        }
        return b;
    }

    /** A well-formed RTCP header (SR..FIR-range packet type, consistent length) with a random body. */
    static byte[] rtcpWithGarbage(Random r) {
        int words = 1 + r.nextInt(60);
        byte[] b = new byte[4 + 4 * words];
        r.nextBytes(b);
        b[0] = (byte) (0x80 | r.nextInt(32));
        b[1] = (byte) (200 + r.nextInt(7));
        b[2] = (byte) (words >> 8);
        b[3] = (byte) words;
        return b;
    }

    // ------------------------------------------------------------ helpers

    private Thread helper(String name, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                synchronized (helperFailures) {
                    helperFailures.add(e);
                }
                e.printStackTrace();
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The media plane's long-lived threads (reader, workers, timer) by name; pooled handshake threads excluded. */
    private static Map<String, Thread> mediaThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("media-") && !t.getName().startsWith("media-dtls-"))
                .collect(Collectors.toMap(Thread::getName, t -> t));
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(150);
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    private static long counter(MediaServer m, String name) {
        return m.counters().getOrDefault(name, 0L);
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long left = epochMillis - System.currentTimeMillis();
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    private static void awaitConnected(Endpoint... eps) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        for (Endpoint e : eps) {
            while (!e.isConnected()) {
                assertThat(System.currentTimeMillis()).as("%s connects", e).isLessThan(end);
                Thread.sleep(20);
            }
        }
    }
}
