package org.steno.conference.media.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.steno.conference.media.Endpoint;
import org.steno.conference.media.MediaKind;
import org.steno.conference.media.MediaListener;
import org.steno.conference.media.MediaSettings;
import org.steno.conference.media.SlotAssignment;
import org.steno.conference.media.sdp.SdpTest;

/** Group logic on real endpoints: dominant speaker hysteresis, and no leaks when peers come and go. */
class SfuCoreTest {

    private static void feed(Receiver r, int level) {
        long now = System.nanoTime();
        for (int i = 0; i < 120; i++) {
            r.level.add(level, now);
        }
    }

    private static Receiver audioOf(SfuEndpoint e) {
        return e.receivers().stream().filter(r -> r.kind() == MediaKind.AUDIO).findFirst().orElseThrow();
    }

    @Test
    void dominantSpeakerNeedsAClearMarginForTwoTicksAndClearsAfterSilence() throws Exception {
        try (SfuCore core = new SfuCore(MediaSettings.of("127.0.0.1", 0, "127.0.0.1"))) {
            SfuEndpoint a = core.createEndpoint("g", "a");
            SfuEndpoint b = core.createEndpoint("g", "b");
            core.answer(a, SdpTest.chromiumOffer());
            core.answer(b, SdpTest.chromiumOffer());
            Group g = new Group("test"); // ticked only by this test (the core's timer ticks its own group)
            g.endpoints.add(a);
            g.endpoints.add(b);
            Receiver ra = audioOf(a);
            Receiver rb = audioOf(b);

            feed(ra, 20);
            assertThat(g.tick(System.nanoTime())).isEqualTo("a"); // first speaker: at once

            feed(rb, 17); // 3 dB louder than a: inside the hysteresis
            for (int i = 0; i < 5; i++) {
                feed(ra, 20);
                feed(rb, 17);
                assertThat(g.tick(System.nanoTime())).isNull();
            }
            assertThat(g.dominantSpeaker()).isEqualTo("a");

            feed(rb, 2);
            feed(ra, 35);
            assertThat(g.tick(System.nanoTime())).as("one tick is not enough").isNull();
            feed(rb, 2);
            feed(ra, 35);
            assertThat(g.tick(System.nanoTime())).isEqualTo("b");

            List<String> changes = new ArrayList<>();
            for (int i = 0; i < Group.SILENCE_TICKS; i++) {
                feed(ra, 127);
                feed(rb, 127);
                String c = g.tick(System.nanoTime());
                if (c != null) {
                    changes.add(c);
                }
            }
            assertThat(changes).containsExactly("");
            assertThat(g.dominantSpeaker()).isNull();
        }
    }

    @Test
    void endpointsThatComeAndGoLeaveNoRoutesThreadsOrSlots() throws Exception {
        try (SfuCore core = new SfuCore(MediaSettings.of("127.0.0.1", 0, "127.0.0.1"))) {
            String offer = SdpTest.chromiumOffer();
            SfuEndpoint stayer = core.createEndpoint("g", "stayer");
            core.answer(stayer, offer);
            int threadsBefore = Thread.activeCount();
            for (int round = 0; round < 200; round++) {
                SfuEndpoint e = core.createEndpoint("g", "visitor-" + round);
                core.answer(e, offer);
                assertThat(stayer.slots()).anySatisfy(s -> assertThat(s.sourceParticipantId()).isEqualTo(e.participantId()));
                core.closeEndpoint(e, "closed");
            }
            assertThat(core.endpoints()).containsExactly(stayer);
            assertThat(core.mux().routeCount()).isEqualTo(1); // the stayer's ufrag only
            assertThat(stayer.slots()).allSatisfy(s -> assertThat(s.sourceTrackId()).isNull());
            assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 2);
        }
    }

    @Test
    void rebalancingAgainChangesNothingAndTheTargetStaysBounded() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        MediaSettings settings = MediaSettings.of("127.0.0.1", 0, "127.0.0.1").withConsentTimeout(Duration.ofMinutes(5));
        try (SfuCore core = new SfuCore(settings)) {
            core.addListener(new MediaListener() {
                @Override
                public void onRenegotiationNeeded(Endpoint endpoint, int audio, int video) {
                    events.add("renegotiate " + endpoint.participantId() + " " + audio + "/" + video);
                }

                @Override
                public void onSlotsChanged(Endpoint endpoint, List<SlotAssignment> slots) {
                    events.add("slots " + endpoint.participantId());
                }
            });
            String offer = SdpTest.chromiumOffer(); // 2 audio + 2 video receive slots
            List<SfuEndpoint> all = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                SfuEndpoint e = core.createEndpoint("g", "p" + i);
                core.answer(e, offer);
                all.add(e);
            }
            Group g = all.get(0).group();
            assertThat(events).filteredOn(e -> e.startsWith("renegotiate")).isNotEmpty().allSatisfy(e -> {
                String[] av = e.substring(e.lastIndexOf(' ') + 1).split("/");
                assertThat(Integer.parseInt(av[0])).as(e).isBetween(3, 3); // 2 slots of each: only ever asked for more
                assertThat(Integer.parseInt(av[1])).as(e).isBetween(3, 9);
            });
            // Every endpoint was asked once at most: its re-offer never came, so it is not asked again.
            for (SfuEndpoint e : all) {
                assertThat(events).filteredOn(x -> x.startsWith("renegotiate " + e.participantId() + " ")).hasSizeLessThanOrEqualTo(1);
                assertThat(e.slotTarget.waiting()).isTrue();
                assertThat(e.slots()).hasSize(4).allSatisfy(x -> assertThat(x.sourceParticipantId()).isNotNull()
                        .isNotEqualTo(e.participantId()));
            }
            int before = events.size();
            var cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int i = 0; i < 200; i++) {
                core.rebalance(g); // warm up: what the 200 ms tick does
            }
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < 500; i++) {
                core.rebalance(g);
            }
            System.out.printf("rebalance of %d endpoints: %d µs of CPU%n", all.size(),
                    (cpu.getCurrentThreadCpuTime() - t0) / 500 / 1000);
            assertThat(events).hasSize(before);
        }
    }
}
