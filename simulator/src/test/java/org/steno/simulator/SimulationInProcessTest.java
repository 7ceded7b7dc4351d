package org.steno.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The load client against the real SFU and signaling in this JVM, over real UDP: 12 participants, 3 talking and
 * 4 with a camera, for 8 s. Everyone connects (ICE, DTLS, SRTP), hears every other talker on its audio slots,
 * receives every other camera (fewer than last-N here), answers the SFU's keyframe requests, and loses nothing on
 * loopback; the SFU's counters show it forwarded what they sent.
 */
class SimulationInProcessTest {

    @Test
    void twelveParticipantsHearTheTalkersAndSeeTheCameras() throws Exception {
        try (LocalConference d = new LocalConference()) {
            Simulation.Settings settings = new Simulation.Settings(d.createMeeting("simulated"), 12, 3, 4,
                    Duration.ofSeconds(8));
            SimulationReport report = new Simulation(settings).run(d, System.out);
            report.print(System.out);

            assertThat(report.failed()).as("failed peers").isEmpty();
            assertThat(report.connected()).isEqualTo(12);
            for (SimulationReport.Peer p : report.peers()) {
                assertThat(p.talkersHeard()).as(p.name() + " hears").hasSize(p.talker() ? 2 : 3);
                assertThat(p.talkersMissed()).as(p.name() + " misses").isEmpty();
                assertThat(p.expectedVideoSources()).isEqualTo(p.camera() ? 3 : 4);
                assertThat(p.videoSources()).as(p.name() + " video sources").isEqualTo(p.expectedVideoSources());
                assertThat(p.audioSlots()).as(p.name() + " audio slots").isEqualTo(3);
                assertThat(p.videoSlots()).as(p.name() + " video slots").isLessThanOrEqualTo(9);
                assertThat(p.serverErrors()).as(p.name() + " server errors").isEmpty();
                assertThat(p.srtpFailures()).as(p.name() + " SRTP failures").isZero();
                assertThat(p.consentResponses()).as(p.name() + " consent checks answered").isPositive();
                // 8 s at 50 packets/s, whatever the machine's load does to the ticker: most of it left.
                assertThat(p.audioSent()).as(p.name() + " audio sent").isGreaterThan(200);
                if (p.camera()) {
                    assertThat(p.keyframeRequests()).as(p.name() + " was asked for a keyframe").isPositive();
                    assertThat(p.videoSent()).isPositive();
                }
                assertThat(p.largestOfferBytes()).isLessThan(10 * 1024);
            }
            assertThat(report.lossPercent()).as("loss on loopback").isLessThan(1.0);
            Map<String, Long> counters = d.counters();
            assertThat(counters.getOrDefault("sfu.forward.audio", 0L)).as("SFU audio forwarded").isPositive();
            assertThat(counters.getOrDefault("srtp.drop.auth", 0L)).as("SFU SRTP auth failures").isZero();
        }
    }
}
