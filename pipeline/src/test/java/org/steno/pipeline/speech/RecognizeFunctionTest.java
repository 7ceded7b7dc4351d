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
import org.steno.pipeline.testing.FixedDelayFakeTranscriber;
import org.steno.pipeline.testing.TestServers;
import org.steno.pipeline.testing.WavAudio;

/** The recognise step against a real gRPC server (netty, loopback) running the fixed-delay fake model. */
class RecognizeFunctionTest {

    static final MeetingMeta META = new MeetingMeta("t", 0, "en-US", "");

    private FixedDelayFakeTranscriber model;
    private Server server;
    private KeyedOneInputStreamOperatorTestHarness<String, TrackEvent, Recognition> harness;
    private long now;

    @BeforeEach
    void start() throws Exception {
        model = new FixedDelayFakeTranscriber(20);
        server = TestServers.grpc(0, model);
        RecognizerSettings s = new RecognizerSettings("127.0.0.1:" + server.getPort(), "en-US", 5000, 10_000, 400,
                60_000, 5, 60_000);
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new RecognizeFunction(s), TrackEvent::key, Types.STRING);
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
        TestServers.stop(server);
        model.shutdown();
    }

    static TrackEvent frame(long segStart, long mediaMs, byte[] pcm) {
        return TrackEvent.audio("m", "live-0", "t1", "p1", "guest:p1", "Alice", "en-US", mediaMs, pcm, META)
                .withSegment(TrackEvent.Kind.AUDIO, segStart);
    }

    static TrackEvent segmentEnd(long segStart, long mediaMs) {
        return frame(segStart, mediaMs, new byte[0]).withSegment(TrackEvent.Kind.SEGMENT_END, segStart);
    }

    /** Sends {@code pcm} as 20 ms frames of one segment starting at media time {@code segStart}. */
    void speak(long segStart, byte[] pcm, int fromFrame, int toFrame) throws Exception {
        for (int i = fromFrame; i < toFrame && i * 640 < pcm.length; i++) {
            byte[] f = Arrays.copyOfRange(pcm, i * 640, Math.min(pcm.length, (i + 1) * 640));
            harness.processElement(frame(segStart, segStart + i * 20L, f), 0);
        }
    }

    /** Advances processing time (timers collect results) until an output matches. */
    List<Recognition> until(Predicate<Recognition> done) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            now += 5;
            harness.setProcessingTime(now);
            List<Recognition> out = harness.extractOutputValues();
            if (out.stream().anyMatch(done)) {
                return new ArrayList<>(out);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("timed out; got " + harness.extractOutputValues());
    }

    @Test
    void oneSessionPerTrackGivesInterimsThenFinalsOnTheMeetingTimeline() throws Exception {
        byte[] a = Arrays.copyOf(WavAudio.librivox("0880"), 2000 * 32);
        byte[] b = Arrays.copyOf(WavAudio.librivox("0930"), 1600 * 32);
        speak(5000, a, 0, 100);
        harness.processElement(segmentEnd(5000, 7000), 0);
        List<Recognition> out = until(r -> r.kind() == Recognition.Kind.SEGMENT_CLOSED);
        List<Recognition> results = out.stream().filter(r -> r.kind() == Recognition.Kind.RESULT).toList();
        assertThat(results).isNotEmpty();
        Recognition fin = results.get(results.size() - 1);
        assertThat(fin.isFinal()).isTrue();
        assertThat(results.subList(0, results.size() - 1)).allSatisfy(r -> assertThat(r.isFinal()).isFalse());
        assertThat(fin.text()).isEqualTo(String.join(" ", FixedDelayFakeTranscriber.wordsFor(a)));
        assertThat(fin.segmentStartMs()).isEqualTo(5000);
        assertThat(fin.ordinal()).isZero();
        assertThat(fin.mediaStartMs()).isEqualTo(5000);
        assertThat(fin.words()[0].startMs()).isEqualTo(5000);
        assertThat(fin.words()[1].startMs()).isEqualTo(5400);
        assertThat(fin.speakerName()).isEqualTo("Alice");

        // A later segment goes over the same session; silence between them was never sent,
        // yet its words land at their own media times.
        speak(12_000, b, 0, 80);
        harness.processElement(segmentEnd(12_000, 13_600), 0);
        out = until(r -> r.kind() == Recognition.Kind.SEGMENT_CLOSED && r.segmentStartMs() == 12_000);
        Recognition fin2 = out.stream().filter(r -> r.kind() == Recognition.Kind.RESULT && r.isFinal()
                && r.segmentStartMs() == 12_000).findFirst().orElseThrow();
        assertThat(fin2.mediaStartMs()).isEqualTo(12_000);
        assertThat(fin2.text()).isEqualTo(String.join(" ", FixedDelayFakeTranscriber.wordsFor(b)));
        assertThat(model.streamsOpened.get()).isEqualTo(1);

        harness.processElement(TrackEvent.trackEnd("m", "live-0", "t1", "p1", "guest:p1", "Alice", "en-US", 14_000, true,
                new String[]{"t1"}, META), 0);
        out = until(r -> r.kind() == Recognition.Kind.TRACK_CLOSED);
        assertThat(out.get(out.size() - 1).kind()).isEqualTo(Recognition.Kind.TRACK_CLOSED);
        assertThat(out.get(out.size() - 1).meetingTracks()).containsExactly("t1");
    }

    @Test
    void modelServerRestartMidSegmentReconnectsAndLosesNoAudio() throws Exception {
        byte[] a = Arrays.copyOf(WavAudio.librivox("0870"), 3000 * 32);
        speak(1000, a, 0, 60);
        until(r -> r.kind() == Recognition.Kind.RESULT); // the session is up and answering
        int port = server.getPort();
        TestServers.stop(server);
        FixedDelayFakeTranscriber restarted = new FixedDelayFakeTranscriber(20);
        server = TestServers.grpc(port, restarted);
        speak(1000, a, 60, 150);
        harness.processElement(segmentEnd(1000, 4000), 0);
        List<Recognition> out = until(r -> r.kind() == Recognition.Kind.SEGMENT_CLOSED);
        Recognition fin = out.stream().filter(r -> r.kind() == Recognition.Kind.RESULT && r.isFinal()).reduce((x, y) -> y)
                .orElseThrow();
        // The new session got the whole segment again, so the final covers all of it.
        assertThat(fin.text()).isEqualTo(String.join(" ", FixedDelayFakeTranscriber.wordsFor(a)));
        assertThat(fin.mediaStartMs()).isEqualTo(1000);
        assertThat(restarted.streamsOpened.get()).isEqualTo(1);
        restarted.shutdown();
    }

    /** A model server that refuses every stream. */
    static final class BrokenTranscriber extends org.steno.proto.speech.v1.TranscriberGrpc.TranscriberImplBase {
        @Override
        public io.grpc.stub.StreamObserver<org.steno.proto.speech.v1.StreamingRecognizeRequest> streamingRecognize(
                io.grpc.stub.StreamObserver<org.steno.proto.speech.v1.StreamingRecognizeResponse> responses) {
            responses.onError(io.grpc.Status.UNAVAILABLE.withDescription("engine down for the test").asRuntimeException());
            return new io.grpc.stub.StreamObserver<>() {
                @Override
                public void onNext(org.steno.proto.speech.v1.StreamingRecognizeRequest value) {
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }
    }

    @Test
    void modelThatKeepsFailingDoesNotHoldTheTrackOpenForever() throws Exception {
        int port = server.getPort();
        TestServers.stop(server);
        server = TestServers.grpc(port, new BrokenTranscriber());
        byte[] a = Arrays.copyOf(WavAudio.librivox("0880"), 1000 * 32);
        speak(2000, a, 0, 50);
        harness.processElement(segmentEnd(2000, 3000), 0);
        harness.processElement(TrackEvent.trackEnd("m", "live-0", "t1", "p1", "guest:p1", "Alice", "en-US", 3000, true,
                new String[]{"t1"}, META), 0);
        List<Recognition> out = until(r -> r.kind() == Recognition.Kind.TRACK_CLOSED);
        // What was never recognised is reported as a gap before the close, with the failure.
        assertThat(out).extracting(Recognition::kind).containsExactly(Recognition.Kind.GAP, Recognition.Kind.TRACK_CLOSED);
        assertThat(out.get(0).mediaStartMs()).isEqualTo(2000);
        assertThat(out.get(0).mediaEndMs()).isEqualTo(3000);
        assertThat(out.get(0).text()).contains("the Transcriber failed").contains("UNAVAILABLE");
        assertThat(out.get(1).meetingEnd()).isTrue();
    }

    @Test
    void audioBeyondTheUnconfirmedCapIsDroppedOldestFirstAndReportedAsAGap() throws Exception {
        harness.close();
        TestServers.stop(server);
        server = TestServers.grpc(0, new BrokenTranscriber()); // a fresh port: this harness is new too
        RecognizerSettings s = new RecognizerSettings("127.0.0.1:" + server.getPort(), "en-US", 5000, 10_000, 60_000, 600,
                5, 60_000);
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new RecognizeFunction(s), TrackEvent::key, Types.STRING);
        harness.open();
        byte[] a = Arrays.copyOf(WavAudio.librivox("0880"), 1000 * 32);
        speak(4000, a, 0, 50); // 1 s of speech while the model refuses everything; 600 ms may wait
        List<Recognition> gaps = harness.extractOutputValues().stream().filter(r -> r.kind() == Recognition.Kind.GAP).toList();
        assertThat(gaps).isNotEmpty();
        assertThat(gaps.get(0).mediaStartMs()).isEqualTo(4000);
        assertThat(gaps.get(gaps.size() - 1).mediaEndMs()).isEqualTo(4400);
        assertThat(gaps).allSatisfy(g -> assertThat(g.text()).contains("unavailable"));
    }

    @Test
    void aTrackThatEndsTwiceLeaveThenMeetingEndClosesOnceWithTheMeetingEnd() throws Exception {
        byte[] a = Arrays.copyOf(WavAudio.librivox("0890"), 1500 * 32);
        speak(0, a, 0, 75);
        harness.processElement(segmentEnd(0, 1500), 0);
        harness.processElement(TrackEvent.trackEnd("m", "live-0", "t1", "p1", "guest:p1", "Alice", "en-US", 1500, false,
                new String[0], META), 0);
        harness.processElement(TrackEvent.trackEnd("m", "live-0", "t1", "p1", "guest:p1", "Alice", "en-US", 1500, true,
                new String[]{"t1", "t2"}, META), 0);
        List<Recognition> out = until(r -> r.kind() == Recognition.Kind.TRACK_CLOSED && r.meetingEnd());
        assertThat(out).anyMatch(r -> r.kind() == Recognition.Kind.RESULT && r.isFinal());
        Recognition closed = out.stream().filter(r -> r.kind() == Recognition.Kind.TRACK_CLOSED && r.meetingEnd())
                .findFirst().orElseThrow();
        assertThat(closed.meetingTracks()).containsExactly("t1", "t2");
    }

    @Test
    void trackThatNeverSpokeClosesAtOnce() throws Exception {
        harness.processElement(TrackEvent.trackEnd("m", "live-0", "t1", "p1", "guest:p1", "Alice", "en-US", 500, false,
                new String[0], META), 0);
        assertThat(harness.extractOutputValues()).extracting(Recognition::kind).containsExactly(Recognition.Kind.TRACK_CLOSED);
        assertThat(model.streamsOpened.get()).isZero();
    }
}
