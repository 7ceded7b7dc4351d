package org.steno.pipeline.speech;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.steno.pipeline.testing.LoudnessFakeDiarizer;
import org.steno.pipeline.testing.TestServers;

/** The diarize step against a real gRPC server (netty, loopback) running a diarizer that hears loudness as voices. */
class DiarizeFunctionTest {

    static final MeetingMeta META = new MeetingMeta("t", 0, "en-US", "");
    /** Longer than any wait below can advance processing time, so only the explicit jump flushes. */
    static final long IDLE_FLUSH_MS = 30_000;

    private LoudnessFakeDiarizer diarizer;
    private Server server;
    private KeyedOneInputStreamOperatorTestHarness<String, TrackEvent, VoiceTurns> harness;
    private long now;

    @BeforeEach
    void start() throws Exception {
        diarizer = new LoudnessFakeDiarizer();
        server = TestServers.grpc(0, diarizer);
        DiarizerSettings s = new DiarizerSettings("127.0.0.1:" + server.getPort(), 2000, 5000, 400, IDLE_FLUSH_MS, 15_000, 5, 60_000);
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new DiarizeFunction(s), TrackEvent::key, Types.STRING);
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
        TestServers.stop(server);
    }

    static TrackEvent frame(long segStart, long mediaMs, short level) {
        byte[] pcm = new byte[640];
        for (int i = 0; i < pcm.length; i += 2) {
            short v = (short) (i % 4 == 0 ? level : -level);
            pcm[i] = (byte) v;
            pcm[i + 1] = (byte) (v >> 8);
        }
        return TrackEvent.audio("m", "live-0", "t1", "p1", "room:4", "Room 4", "en-US", mediaMs, pcm, META)
                .withSharedMicrophone(true).withSegment(TrackEvent.Kind.AUDIO, segStart);
    }

    /** One speech segment of {@code ms} at media time {@code start}, at one loudness, then its end. */
    void speak(long start, long ms, short level) throws Exception {
        for (long t = start; t < start + ms; t += 20) {
            harness.processElement(frame(start, t, level), now);
        }
        harness.processElement(frame(start, start + ms, level).withSegment(TrackEvent.Kind.SEGMENT_END, start), now);
    }

    List<VoiceTurns> until(Predicate<VoiceTurns> done) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            now += 5;
            harness.setProcessingTime(now);
            List<VoiceTurns> out = harness.extractOutputValues();
            if (out.stream().anyMatch(done)) {
                return new ArrayList<>(out);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("timed out; got " + harness.extractOutputValues());
    }

    static List<VoiceTurn> finalTurnsByLabel(List<VoiceTurns> out, String label) {
        return out.stream().filter(v -> v.kind() == VoiceTurns.Kind.TURNS).flatMap(v -> Arrays.stream(v.turns()))
                .filter(t -> t.label().equals(label)).toList();
    }

    @Test
    void turnsLandOnTheMeetingTimelineAndFinalTurnsConfirmWhatIsCovered() throws Exception {
        speak(5000, 1000, (short) 1000);   // a quiet voice, 5.0–6.0 s
        speak(9000, 1000, (short) 9000);   // a loud voice, 9.0–10.0 s (the 3 s of silence were never sent)
        List<VoiceTurns> out = until(v -> v.kind() == VoiceTurns.Kind.COVERED && v.coveredUpToMs() >= 6000);
        VoiceTurn quiet = finalTurnsByLabel(out, "spk_0").get(finalTurnsByLabel(out, "spk_0").size() - 1);
        assertThat(quiet.startMs()).isEqualTo(5000);
        assertThat(quiet.endMs()).isEqualTo(6000);
        VoiceTurn loud = finalTurnsByLabel(out, "spk_1").get(0);
        assertThat(loud.startMs()).isEqualTo(9000);
        assertThat(loud.voice()).endsWith("/spk_1").isNotEqualTo(quiet.voice());
        assertThat(out).filteredOn(v -> v.kind() == VoiceTurns.Kind.COVERED).extracting(VoiceTurns::coveredUpToMs)
                .allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(6000));

        // Nobody speaks on: after the lull, a flush finalises the loud turn and confirms up to
        // its end. Before the lull, nothing confirms it.
        assertThat(harness.extractOutputValues()).noneMatch(v -> v.kind() == VoiceTurns.Kind.COVERED && v.coveredUpToMs() >= 10_000);
        now += IDLE_FLUSH_MS;
        harness.setProcessingTime(now);
        out = until(v -> v.kind() == VoiceTurns.Kind.COVERED && v.coveredUpToMs() >= 10_000);
        assertThat(diarizer.streamsOpened.get()).isEqualTo(1);

        harness.processElement(TrackEvent.trackEnd("m", "live-0", "t1", "p1", "room:4", "Room 4", "en-US", 11_000, false,
                new String[0], META).withSharedMicrophone(true), now);
        until(v -> v.kind() == VoiceTurns.Kind.ENDED);
    }

    @Test
    void aFailedSessionIsReportedAndTheNextSpeechOpensOneWithNewVoices() throws Exception {
        diarizer.failNextStream.set(true);
        speak(0, 200, (short) 1000);
        List<VoiceTurns> out = until(v -> v.kind() == VoiceTurns.Kind.UNAVAILABLE);
        assertThat(out.stream().filter(v -> v.kind() == VoiceTurns.Kind.UNAVAILABLE).findFirst().orElseThrow().reason())
                .contains("UNAVAILABLE");
        now += 500; // past the 200 ms backoff
        harness.setProcessingTime(now);
        speak(1000, 400, (short) 1000);
        speak(2000, 400, (short) 9000);
        out = until(v -> v.kind() == VoiceTurns.Kind.COVERED && v.coveredUpToMs() >= 1400);
        assertThat(diarizer.streamsOpened.get()).isEqualTo(2);
        VoiceTurn t = finalTurnsByLabel(out, "spk_0").get(0);
        assertThat(t.startMs()).isEqualTo(1000);
        harness.processElement(TrackEvent.trackEnd("m", "live-0", "t1", "p1", "room:4", "Room 4", "en-US", 3000, true,
                new String[] {"t1"}, META).withSharedMicrophone(true), now);
        until(v -> v.kind() == VoiceTurns.Kind.ENDED);
    }

    @Test
    void aTrackThatEndsWithoutSpeechEndsItsDiarizationAtOnce() throws Exception {
        harness.processElement(TrackEvent.trackEnd("m", "live-0", "t1", "p1", "room:4", "Room 4", "en-US", 3000, true,
                new String[] {"t1"}, META).withSharedMicrophone(true), now);
        assertThat(harness.extractOutputValues()).extracting(VoiceTurns::kind).containsExactly(VoiceTurns.Kind.ENDED);
        assertThat(diarizer.streamsOpened.get()).isZero();
    }

    @Test
    @org.junit.jupiter.api.Timeout(60) // before the fix every frame waited its own 5 s: hours
    void aDiarizerThatStopsReadingIsGivenUpAfterOneSendTimeoutNotOncePerFrame() throws Exception {
        speak(0, 200, (short) 1000);
        until(v -> v.kind() == VoiceTurns.Kind.TURNS);
        diarizer.stopReading.set(true);
        try {
            // Far more audio than the transport buffers: sends block until the 5 s send timeout.
            long started = System.nanoTime();
            for (long t = 1000; t < 121_000; t += 20) {
                harness.processElement(frame(1000, t, (short) 1000), now);
            }
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(tookMs).as("one stall of the 5 s send timeout, then frames go past the broken session")
                    .isLessThan(15_000);
            List<VoiceTurns> out = until(v -> v.kind() == VoiceTurns.Kind.UNAVAILABLE);
            VoiceTurns down = out.stream().filter(v -> v.kind() == VoiceTurns.Kind.UNAVAILABLE).findFirst().orElseThrow();
            assertThat(down.reason()).contains("stopped taking audio");
            assertThat(down.coveredUpToMs()).as("the speech it was sent is not diarized").isGreaterThan(1000);
        } finally {
            diarizer.stopReading.set(false);
            diarizer.stuck.countDown();
        }
    }

    @Test
    void aDiarizerThatNeverAnswersTheTrackEndDoesNotKeepTheTrackOpen() throws Exception {
        diarizer.ignoreHalfClose.set(true);
        speak(0, 400, (short) 1000);
        until(v -> v.kind() == VoiceTurns.Kind.TURNS);
        harness.processElement(TrackEvent.trackEnd("m", "live-0", "t1", "p1", "room:4", "Room 4", "en-US", 1000, true,
                new String[] {"t1"}, META).withSharedMicrophone(true), now);
        now += 16_000; // past the 15 s the transcript waits for turns
        harness.setProcessingTime(now);
        List<VoiceTurns> out = until(v -> v.kind() == VoiceTurns.Kind.ENDED);
        assertThat(out).anyMatch(v -> v.kind() == VoiceTurns.Kind.UNAVAILABLE && v.reason().contains("did not end"));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
