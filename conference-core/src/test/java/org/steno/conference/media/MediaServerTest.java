package org.steno.conference.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.steno.conference.media.sdp.SdpTest;
import org.steno.conference.media.stun.StunMessage;

/** The media server over a real UDP socket, without a browser: lifecycle, ICE-lite, slots, consent, hostile input. */
class MediaServerTest {

    @Test
    void startStopFreesThePortAndATakenPortIsReported() throws Exception {
        int port;
        try (MediaServer m = MediaServer.start("127.0.0.1", 0, "127.0.0.1")) {
            port = m.port();
            assertThat(port).isPositive();
            assertThatThrownBy(() -> MediaServer.start("127.0.0.1", port, "127.0.0.1"))
                    .isInstanceOf(BindException.class);
            m.createEndpoint("g", "p");
        }
        Thread.sleep(100);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            assertThat(s.getLocalPort()).isEqualTo(port); // freed
        }
        Thread ghosts = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("media-udp-reader-" + port) && t.isAlive())
                .findAny().orElse(null);
        assertThat(ghosts).isNull();
    }

    @Test
    void iceLiteAnswersValidChecksOnlyAndLearnsTheAddress() throws Exception {
        try (MediaServer m = MediaServer.start("127.0.0.1", 0, "127.0.0.1")) {
            Endpoint ep = m.createEndpoint("g", "alice");
            String answer = m.answer(ep, SdpTest.chromiumOffer());
            try (StunClient c = new StunClient(m.port(), answer, "lTin")) {
                StunMessage ok = c.check();
                assertThat(ok).isNotNull();
                assertThat(ok.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
                assertThat(ok.xorMappedAddress()).isEqualTo(c.socket.getLocalSocketAddress());
                // wrong password: no answer
                c.send(c.bindingRequest(true, "not-the-password-at-all"));
                assertThat(c.receiveStun()).isNull();
                assertThat(m.counters().get("stun.drop.bad-integrity")).isEqualTo(1);
            }
            try (StunClient wrongRemote = new StunClient(m.port(), answer, "zzzz")) {
                assertThat(wrongRemote.check()).isNull();
                assertThat(m.counters().get("stun.drop.bad-username")).isEqualTo(1);
            }
        }
    }

    @Test
    void consentExpiresWithoutChecks() throws Exception {
        MediaSettings s = MediaSettings.of("127.0.0.1", 0, "127.0.0.1").withConsentTimeout(Duration.ofSeconds(2));
        List<String> closed = new CopyOnWriteArrayList<>();
        try (MediaServer m = MediaServer.start(s)) {
            m.addListener(new MediaListener() {
                @Override
                public void onEndpointClosed(Endpoint endpoint, String reason) {
                    closed.add(endpoint.participantId() + ":" + reason);
                }
            });
            Endpoint quiet = m.createEndpoint("g", "quiet");
            Endpoint alive = m.createEndpoint("g", "alive");
            String answer = m.answer(alive, SdpTest.chromiumOffer());
            try (StunClient c = new StunClient(m.port(), answer, "lTin")) {
                for (int i = 0; i < 8; i++) { // 4 s of consent checks every 0.5 s
                    assertThat(c.check()).isNotNull();
                    Thread.sleep(500);
                }
            }
            assertThat(quiet.isClosed()).isTrue();
            assertThat(alive.isClosed()).isFalse();
            assertThat(closed).containsExactly("quiet:consent-timeout");
            assertThat(m.endpointCount()).isEqualTo(1);
        }
    }

    @Test
    void slotsAreBoundAcrossEndpointsAndMoreTracksAskForRenegotiation() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (MediaServer m = MediaServer.start("127.0.0.1", 0, "127.0.0.1")) {
            m.addListener(new MediaListener() {
                @Override
                public void onTrack(Endpoint endpoint, TrackInfo track) {
                    events.add("track " + track.participantId() + " " + track.kind());
                }

                @Override
                public void onRenegotiationNeeded(Endpoint endpoint, int audio, int video) {
                    events.add("renegotiate " + endpoint.participantId() + " " + audio + "/" + video);
                }
            });
            // the captured offer has sendrecv audio+video and one recvonly audio+video: 2 slots of each kind
            String offer = SdpTest.chromiumOffer();
            Endpoint a = m.createEndpoint("room", "a");
            Endpoint b = m.createEndpoint("room", "b");
            Endpoint c = m.createEndpoint("room", "c");
            Endpoint d = m.createEndpoint("room", "d");
            m.answer(a, offer);
            m.answer(b, offer);
            assertThat(a.slots()).filteredOn(s -> s.sourceParticipantId() != null)
                    .extracting(SlotAssignment::sourceParticipantId).containsOnly("b").hasSize(2);
            m.answer(c, offer);
            m.answer(d, offer);
            // a has 2 audio + 2 video slots for 3 remote participants: the target is 3 of each (absolute), asked once
            assertThat(events).containsOnlyOnce("renegotiate a 3/3");
            assertThat(events).filteredOn(e -> e.startsWith("renegotiate a")).containsExactly("renegotiate a 3/3");
            assertThat(a.slots()).allSatisfy(s -> assertThat(s.sourceParticipantId()).isNotNull());
            // a re-offers with one more recvonly pair: all bound, mids stable
            String more = offer.replace("a=group:BUNDLE 0 1 2 3", "a=group:BUNDLE 0 1 2 3 4 5")
                    + extraRecvonly(offer, "2", "4") + extraRecvonly(offer, "3", "5");
            long ssrcOfSlot0 = a.slots().get(0).ssrc();
            String answer = m.answer(a, more);
            assertThat(answer).contains("a=mid:4", "a=mid:5");
            assertThat(a.slots()).hasSize(6).allSatisfy(s -> assertThat(s.sourceParticipantId()).isNotNull());
            assertThat(a.slots().get(0).ssrc()).isEqualTo(ssrcOfSlot0);
            assertThat(a.slots()).extracting(SlotAssignment::sourceParticipantId)
                    .containsOnly("b", "c", "d").doesNotContain("a");
            // d leaves: its slots on a are freed
            d.close();
            assertThat(a.slots()).filteredOn(s -> s.sourceParticipantId() == null).hasSize(2);
            assertThat(events).filteredOn(e -> e.startsWith("track")).hasSize(8);
        }
    }

    /** Copies the recvonly m-section with mid {@code from} under a new mid. */
    private static String extraRecvonly(String offer, String from, String to) {
        int start = offer.indexOf("a=mid:" + from + "\r\n");
        int mStart = offer.lastIndexOf("m=", start);
        int next = offer.indexOf("\r\nm=", start);
        String section = offer.substring(mStart, next < 0 ? offer.length() : next + 2);
        return section.replace("a=mid:" + from + "\r\n", "a=mid:" + to + "\r\n");
    }

    @Test
    void hostileDatagramsAreDroppedAndCountedAndTheServerKeepsServing() throws Exception {
        try (MediaServer m = MediaServer.start("127.0.0.1", 0, "127.0.0.1")) {
            Endpoint victim = m.createEndpoint("g", "victim");
            Endpoint bystander = m.createEndpoint("g", "bystander");
            String victimAnswer = m.answer(victim, SdpTest.chromiumOffer());
            String bystanderAnswer = m.answer(bystander, SdpTest.chromiumOffer());
            Random r = new Random(42);
            try (StunClient attacker = new StunClient(m.port(), victimAnswer, "lTin");
                 StunClient stranger = new StunClient(m.port(), victimAnswer, "lTin");
                 StunClient good = new StunClient(m.port(), bystanderAnswer, "lTin")) {
                assertThat(attacker.check()).isNotNull(); // the attacker even passed ICE for the victim
                assertThat(good.check()).isNotNull();
                byte[] valid = attacker.bindingRequest(true, attacker.serverPwd);
                for (int i = 0; i < 20_000; i++) {
                    byte[] junk = junk(r, i, valid);
                    (i % 2 == 0 ? attacker : stranger).send(junk);
                    if (i % 2000 == 0) {
                        assertThat(good.check()).as("bystander still answered during the flood").isNotNull();
                    }
                }
                Thread.sleep(500);
                assertThat(good.check()).isNotNull();
                var c = m.counters();
                assertThat(c.get("mux.rx")).isGreaterThan(15_000);
                assertThat(c.getOrDefault("mux.drop.unknown-source", 0L)).isPositive();
                assertThat(c.getOrDefault("mux.drop.stun-malformed", 0L)
                        + c.getOrDefault("stun.drop.malformed", 0L)).isPositive();
                assertThat(c.getOrDefault("srtp.drop.before-keys", 0L)
                        + c.getOrDefault("dtls.rx", 0L)).isPositive();
                assertThat(c.getOrDefault("worker.error", 0L)).as("no handler threw").isZero();
                assertThat(c.getOrDefault("mux.drop.error", 0L)).as("the reader never threw").isZero();
                assertThat(bystander.isClosed()).isFalse();
            }
        }
    }

    /** Random, truncated and replayed datagrams of every class (first-byte ranges of RFC 7983). */
    static byte[] junk(Random r, int i, byte[] validStun) {
        switch (i % 7) {
            case 0: { // replayed STUN check
                return validStun.clone();
            }
            case 1: { // truncated STUN
                return java.util.Arrays.copyOf(validStun, r.nextInt(validStun.length));
            }
            case 2: { // STUN with a flipped byte
                byte[] b = validStun.clone();
                b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                return b;
            }
            default: {
                int[] firstByte = {r.nextInt(4), 20 + r.nextInt(44), 128 + r.nextInt(64), 128 + r.nextInt(64)};
                byte[] b = new byte[1 + r.nextInt(1300)];
                r.nextBytes(b);
                b[0] = (byte) firstByte[i % 4];
                if (i % 4 == 3 && b.length > 1) {
                    b[1] = (byte) (192 + r.nextInt(32)); // RTCP packet type
                }
                return b;
            }
        }
    }
}
