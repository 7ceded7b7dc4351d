package org.steno.simulator.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.steno.conference.media.stun.StunBuilder;
import org.steno.conference.media.stun.StunMessage;
import org.steno.simulator.signal.Answer;

/**
 * Whatever arrives on a simulated participant's socket — random bytes, truncated STUN, a forged binding response,
 * RTP and RTCP before any keys, DTLS junk — is counted and dropped on the shared reader thread, which keeps going;
 * a forged STUN response without our server's integrity never makes a candidate the pair.
 */
class PeerMediaHostileInputTest {

    @Test
    void junkIsCountedAndTheLoopKeepsReading() throws Exception {
        try (MediaLoop loop = new MediaLoop(1, 1); DatagramSocket attacker = new DatagramSocket(0)) {
            PeerMedia peer = new PeerMedia("Sim 001", false, false, 1);
            loop.add(peer);
            InetSocketAddress target = new InetSocketAddress("127.0.0.1",
                    ((InetSocketAddress) peer.channel.getLocalAddress()).getPort());
            // The server's answer names the attacker's address as its only candidate: checks go there.
            String answerSdp = org.steno.simulator.signal.AnswerTestFixtures.answer("127.0.0.1", attacker.getLocalPort());
            peer.start(Answer.parse(answerSdp));

            Random random = new Random(7);
            int sent = 0;
            for (int i = 0; i < 300; i++) {
                byte[] junk = new byte[1 + random.nextInt(1400)];
                random.nextBytes(junk);
                // First bytes of each kind (RFC 7983): STUN 0-3, DTLS 20-63, RTP/RTCP 128-191, and everything else.
                junk[0] = (byte) new int[] {0, 1, 23, 22, 0x80, 0x90, 200, 255, 70}[i % 9];
                attacker.send(new DatagramPacket(junk, junk.length, target));
                sent++;
            }
            // A binding success with our transaction ids unknown and no valid integrity: a forged response.
            byte[] forged = new StunBuilder(StunMessage.BINDING_SUCCESS, new byte[12]).fingerprint();
            attacker.send(new DatagramPacket(forged, forged.length, target));
            sent++;

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            PeerCounters c = peer.counters();
            while (c.dropped.sum() < sent && System.nanoTime() < deadline) {
                Thread.sleep(20); // waiting for the reader thread to get through the flood
            }
            assertThat(c.dropped.sum()).as("every junk datagram counted as dropped").isEqualTo(sent);
            assertThat(peer.state()).as("a forged response never connects").isEqualTo(PeerMedia.State.CHECKING);
            assertThat(c.audioReceived.sum() + c.videoReceived.sum()).isZero();

            // The reader still serves the socket: one more datagram is counted.
            long before = c.dropped.sum();
            byte[] more = {(byte) 0x80, 0, 0, 1};
            attacker.send(new DatagramPacket(more, more.length, target));
            while (c.dropped.sum() == before && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(c.dropped.sum()).isGreaterThan(before);
            peer.close();
        }
    }
}
