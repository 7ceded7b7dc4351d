package org.steno.conference.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.BindException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.steno.conference.media.sdp.SdpTest;
import org.steno.conference.media.stun.StunMessage;

/**
 * Issue #11: with a wildcard bind ("0.0.0.0", the default), every reply leaves from the address the peer sent to.
 * The kernel would otherwise pick the source by route — a check from the host's LAN address to 127.0.0.1 is
 * answered from the LAN address — and Chromium ignores a STUN response that does not come from the candidate it
 * checked. The "browsers" here are sockets bound to specific addresses of this host, as Chromium's host candidates
 * are; the crossed cases (LAN address to loopback and back) are the ones the kernel gets wrong.
 */
class WildcardBindTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static InetAddress lan;

    @BeforeAll
    static void findAnotherAddress() throws Exception {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLinkLocalAddress() && lan == null) {
                    lan = a;
                }
            }
        }
        assumeTrue(lan != null, "this host has no IPv4 address besides loopback");
    }

    @Test
    void aStunCheckToEachLocalAddressIsAnsweredFromThatAddress() throws Exception {
        try (MediaServer m = MediaServer.start("0.0.0.0", 0, "")) {
            int port = m.port();
            assertThat(m.localAddresses()).contains(new InetSocketAddress(lan, port), new InetSocketAddress(LOOPBACK, port));
            // Loopback is bound but not offered while another address exists (RFC 8445 §5.1.1.1).
            assertThat(m.candidateAddresses()).contains(lan.getHostAddress()).doesNotContain("127.0.0.1");
            Endpoint ep = m.createEndpoint("g", "alice");
            String answer = m.answer(ep, SdpTest.chromiumOffer());
            assertThat(answer).contains(" " + lan.getHostAddress() + " " + port + " typ host\r\n");
            for (InetAddress browser : List.of(lan, LOOPBACK)) {
                for (InetAddress server : List.of(lan, LOOPBACK)) {
                    InetSocketAddress to = new InetSocketAddress(server, port);
                    try (StunClient c = new StunClient(new InetSocketAddress(browser, 0), to, answer, "lTin")) {
                        StunMessage ok = c.check();
                        String path = browser.getHostAddress() + " -> " + server.getHostAddress();
                        assertThat(ok).as("response to %s", path).isNotNull();
                        assertThat(c.lastResponseFrom).as("source of the response to %s", path).isEqualTo(to);
                        assertThat(ok.xorMappedAddress()).isEqualTo(c.socket.getLocalSocketAddress());
                    }
                }
            }
            assertThat(m.counters().get("stun.binding.ok")).isEqualTo(4);
        }
    }

    @Test
    void dtlsAndMediaLeaveFromTheSocketTheyArrivedOn() throws Exception {
        try (MediaServer m = MediaServer.start("0.0.0.0", 0, "")) {
            InetSocketAddress serverLoopback = new InetSocketAddress(LOOPBACK, m.port());
            InetSocketAddress serverLan = new InetSocketAddress(lan, m.port());
            // a: what Chromium does on this host when told 127.0.0.1 — it sends from its LAN address.
            // b: the other way round.
            try (FakeBrowser a = new FakeBrowser(m, "g", "a", null, new InetSocketAddress(lan, 0), serverLoopback);
                 FakeBrowser b = new FakeBrowser(m, "g", "b", null, new InetSocketAddress(LOOPBACK, 0), serverLan)) {
                a.connect();
                b.connect();
                awaitConnected(a.endpoint, b.endpoint);
                for (int i = 0; i < 20; i++) {
                    a.sendRtp(FakeBrowser.audioPacket(100 + i, 960L * i, 20, new byte[] {(byte) i, 1, 2}));
                    b.sendRtp(FakeBrowser.audioPacket(500 + i, 960L * i, 20, new byte[] {(byte) i, 3, 4}));
                }
                assertThat(b.receive(false, 3000)).as("a's audio forwarded to b").isNotNull();
                assertThat(a.receive(false, 3000)).as("b's audio forwarded to a").isNotNull();
                assertThat(a.serverSources).as("sources of the STUN, DTLS and SRTP sent to a").containsExactly(serverLoopback);
                assertThat(b.serverSources).as("sources of the STUN, DTLS and SRTP sent to b").containsExactly(serverLan);
                var c = m.counters();
                assertThat(c.get("mux.rx")).isPositive();
                assertThat(c.get("mux.tx")).isPositive();
                assertThat(c.get("sfu.forward.audio")).isPositive();
                assertThat(c.getOrDefault("mux.tx.error", 0L)).isZero();
            }
        }
    }

    @Test
    void anAdvertisedAddressIsTheOnlyCandidateAndRepliesStillLeaveFromTheReceivingSocket() throws Exception {
        try (MediaServer m = MediaServer.start("0.0.0.0", 0, "203.0.113.7")) {
            assertThat(m.candidateAddresses()).containsExactly("203.0.113.7");
            Endpoint ep = m.createEndpoint("g", "alice");
            String answer = m.answer(ep, SdpTest.chromiumOffer());
            assertThat(answer.split("a=candidate:", -1)).hasSize(2);
            assertThat(answer).contains("a=candidate:1 1 udp 2130706431 203.0.113.7 " + m.port() + " typ host\r\n");
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, m.port()); // where the NAT delivers, say
            try (StunClient c = new StunClient(new InetSocketAddress(lan, 0), to, answer, "lTin")) {
                assertThat(c.check()).isNotNull();
                assertThat(c.lastResponseFrom).isEqualTo(to);
            }
        }
    }

    @Test
    void aSpecificBindHostBindsOnlyThatAddressAndOffersIt() throws Exception {
        try (MediaServer m = MediaServer.start("127.0.0.1", 0, "")) {
            assertThat(m.localAddresses()).containsExactly(new InetSocketAddress(LOOPBACK, m.port()));
            assertThat(m.candidateAddresses()).containsExactly("127.0.0.1"); // loopback is all there is
            assertThat(Ports.udpFree(lan, m.port())).as("the LAN address is left alone").isTrue();
        }
    }

    @Test
    void closeFreesThePortOnEveryAddress() throws Exception {
        int port;
        List<InetSocketAddress> bound;
        try (MediaServer m = MediaServer.start("0.0.0.0", 0, "")) {
            port = m.port();
            bound = new ArrayList<>(m.localAddresses());
            assertThat(bound).hasSizeGreaterThanOrEqualTo(2).allSatisfy(a -> assertThat(a.getPort()).isEqualTo(port));
            for (InetSocketAddress a : bound) {
                assertThat(Ports.udpFree(a.getAddress(), port)).as("%s taken while running", a).isFalse();
            }
        }
        for (InetSocketAddress a : bound) {
            assertThat(Ports.udpFree(a.getAddress(), port)).as("%s freed", a).isTrue();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                t -> t.isAlive() && t.getName().startsWith("media-udp-reader-" + port + "-"));
    }

    @Test
    void aPortTakenOnOneAddressFailsWithASentenceNamingItAndFreesTheOthers() throws Exception {
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            int port = squatter.getLocalPort();
            assertThatThrownBy(() -> MediaServer.start("0.0.0.0", port, ""))
                    .isInstanceOf(BindException.class)
                    .hasMessage("udp port " + port + " is already in use on 127.0.0.1")
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.type(MediaPortInUseException.class))
                    .extracting(MediaPortInUseException::address).isEqualTo(new InetSocketAddress(LOOPBACK, port));
            assertThat(Ports.udpFree(lan, port)).as("the address bound before the failure is freed").isTrue();
        }
    }

    private static void awaitConnected(Endpoint... eps) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        for (Endpoint e : eps) {
            while (!e.isConnected()) {
                if (System.currentTimeMillis() > end) {
                    throw new AssertionError(e + " did not connect");
                }
                Thread.sleep(20);
            }
        }
    }

    /** UDP port checks on one address. */
    private static final class Ports {
        static boolean udpFree(InetAddress address, int port) {
            try {
                new DatagramSocket(new InetSocketAddress(address, port)).close();
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        }
    }
}
