package org.steno.conference.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.JavascriptExecutor;

/**
 * Real Chromium against the real media plane: ICE-lite, DTLS, SRTP both ways, Opus and VP8, forwarding between two
 * browsers with SSRC/sequence rewriting.
 */
class BrowserMediaTest {

    private static MediaServer media;
    private static final Map<String, AtomicLong> framesByCodec = new ConcurrentHashMap<>();
    private static volatile Map<String, Object> lastStats;
    private static final Set<String> connected = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startServer() throws Exception {
        media = MediaServer.start("127.0.0.1", 0, "127.0.0.1");
        media.addListener(new MediaListener() {
            @Override
            public void onRtp(MediaFrame frame) {
                if (frame.payload().length > 0) {
                    framesByCodec.computeIfAbsent(frame.track().participantId() + "/" + frame.track().codec(),
                            k -> new AtomicLong()).incrementAndGet();
                }
            }

            @Override
            public void onConnected(Endpoint endpoint) {
                connected.add(endpoint.participantId());
            }
        });
    }

    @AfterAll
    static void stopServer() {
        if (media != null) {
            media.close();
        }
    }

    @Test
    @Timeout(60)
    void oneBrowserConnectsAndTheServerDecryptsOpusAndVp8() throws Exception {
        try (BrowserPeers peers = new BrowserPeers(media, "solo")) {
            JavascriptExecutor alice = peers.open("solo-alice", 440, 1, 1);
            waitFor("ICE and DTLS connected", 15_000, () -> {
                Map<String, Object> s = BrowserPeers.stats(alice);
                lastStats = s;
                return ("connected".equals(s.get("ice")) || "completed".equals(s.get("ice")))
                        && "connected".equals(s.get("dtls"));
            });
            assertThat(connected).contains("solo-alice");
            waitFor("decrypted Opus and VP8 at the server", 15_000,
                    () -> count("solo-alice/opus") > 50 && count("solo-alice/VP8") > 20);
            assertThat(media.counters()).containsKey("dtls.connected.AEAD_AES_128_GCM");

            // Hostile input at the socket while the call runs: random, truncated and replayed STUN, DTLS, RTP and
            // RTCP from a stranger and from a peer that passed ICE for an endpoint of its own.
            Endpoint decoy = media.createEndpoint("solo", "decoy");
            String decoyAnswer = media.answer(decoy, org.steno.conference.media.sdp.SdpTest.chromiumOffer());
            long framesBefore = count("solo-alice/opus");
            java.util.Random r = new java.util.Random(3);
            try (StunClient attacker = new StunClient(media.port(), decoyAnswer, "lTin");
                 StunClient stranger = new StunClient(media.port(), decoyAnswer, "lTin")) {
                assertThat(attacker.check()).isNotNull();
                byte[] valid = attacker.bindingRequest(true, attacker.serverPwd);
                for (int i = 0; i < 10_000; i++) {
                    (i % 2 == 0 ? attacker : stranger).send(MediaServerTest.junk(r, i, valid));
                    if (i % 500 == 0) {
                        Thread.sleep(5); // ~5 s at 2000 datagrams/s beside the browser's media
                    }
                }
            }
            Map<String, Object> after = BrowserPeers.stats(alice);
            assertThat(after.get("ice")).isIn("connected", "completed");
            waitFor("Opus still decrypted after the flood", 5_000, () -> count("solo-alice/opus") > framesBefore + 100);
            assertThat(media.counters().getOrDefault("worker.error", 0L)).isZero();
            assertThat(media.counters().getOrDefault("mux.drop.unknown-source", 0L)).isPositive();
        }
    }

    @Test
    @Timeout(90)
    void twoBrowsersReceiveEachOthersAudioAndVideo() throws Exception {
        try (BrowserPeers peers = new BrowserPeers(media, "duo")) {
            JavascriptExecutor alice = peers.open("duo-alice", 330, 0, 0);
            JavascriptExecutor bob = peers.open("duo-bob", 550, 0, 0);
            for (JavascriptExecutor who : new JavascriptExecutor[] {alice, bob}) {
                waitFor("audio and video flowing in", 30_000, () -> {
                    Map<String, Object> s = BrowserPeers.stats(who);
                    lastStats = s;
                    return BrowserPeers.inbound(s, "audio", "packets") > 50
                            && BrowserPeers.inbound(s, "video", "packets") > 20
                            && BrowserPeers.inbound(s, "video", "frames") > 5
                            && BrowserPeers.inbound(s, "audio", "energy") > 0;
                });
            }
            // Counters keep growing: a live stream, not a burst.
            double before = BrowserPeers.inbound(BrowserPeers.stats(alice), "audio", "packets");
            Thread.sleep(1000);
            assertThat(BrowserPeers.inbound(BrowserPeers.stats(alice), "audio", "packets")).isGreaterThan(before + 20);
            assertThat(peers.endpoints.get("duo-alice").slots())
                    .anySatisfy(s -> assertThat(s.sourceParticipantId()).isEqualTo("duo-bob"));
            assertThat(media.counters().getOrDefault("sfu.forward.video", 0L)).isGreaterThan(0);
        }
    }

    @Test
    @Timeout(90)
    void threeBrowsersRenegotiateForMoreSlotsAndEachReceivesBothOthers() throws Exception {
        Map<String, int[]> needs = new ConcurrentHashMap<>();
        MediaListener renegotiation = new MediaListener() {
            @Override
            public void onRenegotiationNeeded(Endpoint endpoint, int audio, int video) {
                needs.put(endpoint.participantId(), new int[] {audio, video});
            }
        };
        media.addListener(renegotiation);
        try (BrowserPeers peers = new BrowserPeers(media, "trio")) {
            Map<String, JavascriptExecutor> browsers = new java.util.LinkedHashMap<>();
            double tone = 300;
            for (String name : new String[] {"trio-a", "trio-b", "trio-c"}) {
                browsers.put(name, peers.open(name, tone += 110, 0, 0));
            }
            // each page offered one audio and one video slot; with two others the target is two of each (absolute)
            waitFor("renegotiation requests", 5_000, () -> needs.keySet().containsAll(browsers.keySet()));
            for (var e : browsers.entrySet()) {
                int[] n = needs.get(e.getKey());
                assertThat(n).containsExactly(2, 2);
                BrowserPeers.renegotiate(e.getValue(), e.getKey(), n[0], n[1]);
            }
            for (var e : browsers.entrySet()) {
                waitFor(e.getKey() + " receiving audio and video from both others", 30_000, () -> {
                    Map<String, Object> s = BrowserPeers.stats(e.getValue());
                    lastStats = s;
                    return BrowserPeers.flowing(s, "audio", 20) == 2 && BrowserPeers.flowing(s, "video", 10) == 2;
                });
                assertThat(peers.endpoints.get(e.getKey()).slots())
                        .extracting(SlotAssignment::sourceParticipantId)
                        .containsOnly(browsers.keySet().stream().filter(n -> !n.equals(e.getKey()))
                                .toArray(String[]::new));
            }
        } finally {
            media.removeListener(renegotiation);
        }
    }

    private static long count(String key) {
        AtomicLong a = framesByCodec.get(key);
        return a == null ? 0 : a.get();
    }

    static void waitFor(String what, long millis, BooleanSupplier cond) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (cond.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting for " + what + "; browser: " + lastStats + "; counters: " + media.counters());
    }
}
