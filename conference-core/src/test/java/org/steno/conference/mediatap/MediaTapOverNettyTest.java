package org.steno.conference.mediatap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.steno.conference.ingest.MediaIngestService;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.tap.MediaTaps;
import org.steno.conference.tap.TapSettings;
import org.steno.conference.testutil.Wav;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.media.v1.GapReason;
import org.steno.proto.media.v1.IngestAudio;
import org.steno.proto.media.v1.IngestConfig;
import org.steno.proto.media.v1.IngestPacing;
import org.steno.proto.media.v1.IngestRequest;
import org.steno.proto.media.v1.IngestSummary;
import org.steno.proto.media.v1.ListMeetingsRequest;
import org.steno.proto.media.v1.MediaEvent;
import org.steno.proto.media.v1.MediaIngestGrpc;
import org.steno.proto.media.v1.MediaTapGrpc;
import org.steno.proto.media.v1.SubscribeRequest;
import org.steno.proto.media.v1.TrackSelection;
import org.steno.proto.media.v1.TrackSelectionMode;

/**
 * MediaIngest → taps → MediaTap over a real netty socket, with real speech: two librivox
 * files replayed as Alice and Bob; the subscriber must get each one's audio under the right
 * name and with the file's energy envelope, plus the mix, resume and slow-reader gaps.
 */
class MediaTapOverNettyTest {

    private MeetingRegistry registry;
    private MediaTaps taps;
    private MediaTapService tapService;
    private MediaIngestService ingestService;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        start(TapSettings.defaults(), MediaTapService.Settings.defaults());
    }

    void start(TapSettings tapSettings, MediaTapService.Settings serviceSettings) throws Exception {
        stop();
        registry = new MeetingRegistry();
        taps = new MediaTaps(registry, tapSettings);
        taps.start();
        tapService = new MediaTapService(registry, taps, serviceSettings);
        ingestService = new MediaIngestService(registry, taps);
        server = NettyServerBuilder.forPort(0).addService(tapService).addService(ingestService).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (tapService != null) {
            tapService.close();
            ingestService.close();
            taps.close();
        }
    }

    @Test
    void twoReplayedSpeakersArriveUnderTheirNamesWithTheirEnvelopeAndAMix() throws Exception {
        Meeting m = registry.create("replay");
        Collector sub = subscribe(SubscribeRequest.newBuilder().setMeetingId(m.id()).setSubscriberName("test")
                .setTracks(TrackSelection.newBuilder().setMode(TrackSelectionMode.TRACK_SELECTION_MODE_ALL_SPEAKERS_AND_MIX)).build());
        MediaEvent first = sub.next();
        assertThat(first.hasStarted()).isTrue();
        assertThat(first.getStarted().getAudioFormat().getSampleRateHz()).isEqualTo(16000);

        short[] alice = Wav.read(Wav.ALICE);
        short[] bob = Wav.read(Wav.BOB);
        CompletableFuture<IngestSummary> a = ingest(m.id(), "Alice", "replay:alice", alice, 16000, IngestPacing.INGEST_PACING_FAST);
        // Bob's file is a room microphone: its track says so, so consumers diarize it.
        CompletableFuture<IngestSummary> b = ingestRaw(m.id(), "Bob", "replay:bob", bob, 16000, 1,
                IngestPacing.INGEST_PACING_FAST, true);
        IngestSummary sa = a.get(30, TimeUnit.SECONDS);
        IngestSummary sb = b.get(30, TimeUnit.SECONDS);
        assertThat(sa.getFramesAccepted()).isEqualTo((alice.length + 319) / 320);
        assertThat(TapProtos.duration(sa.getAudioDuration()).toMillis()).isBetween(2980L, 3000L);

        // Both left: wait for the two ParticipantLeft events, by then every frame was sent.
        List<MediaEvent> events = sub.until(e -> e.hasParticipantLeft(), 2, Duration.ofSeconds(20));
        Map<String, List<MediaEvent>> framesByName = events.stream().filter(MediaEvent::hasAudioFrame)
                .filter(e -> !e.getAudioFrame().getIsMix())
                .collect(Collectors.groupingBy(e -> e.getAudioFrame().getSpeakerDisplayName()));
        assertThat(framesByName).containsOnlyKeys("Alice", "Bob");
        assertThat(framesByName.get("Alice").get(0).getAudioFrame().getSpeakerIdentity()).isEqualTo("replay:alice");
        assertThat(framesByName.get("Alice").get(0).getAudioFrame().getTrackId()).isEqualTo(sa.getTrackId());
        assertThat(events.stream().filter(MediaEvent::hasParticipantJoined).map(e -> e.getParticipantJoined().getParticipant().getDisplayName()))
                .containsExactlyInAnyOrder("Alice", "Bob");
        assertThat(events.stream().filter(MediaEvent::hasTrackPublished).map(e -> e.getTrackPublished().getTrack())
                .collect(Collectors.toMap(t -> t.getTrackId(), t -> t.getSharedMicrophone())))
                .containsEntry(sa.getTrackId(), false).containsEntry(sb.getTrackId(), true);

        for (var entry : Map.of("Alice", alice, "Bob", bob).entrySet()) {
            List<MediaEvent> frames = framesByName.get(entry.getKey());
            for (int i = 0; i < frames.size(); i++) {
                assertThat(frames.get(i).getAudioFrame().getSequence()).isEqualTo(i);
                assertThat(frames.get(i).getAudioFrame().getPcm().size()).isLessThanOrEqualTo(3200);
            }
            short[] got = pcm(frames);
            assertThat(got.length).isEqualTo(entry.getValue().length);
            double r = Wav.correlation(Wav.envelope(got, 1600), Wav.envelope(entry.getValue(), 1600));
            assertThat(r).as("envelope correlation of " + entry.getKey()).isGreaterThan(0.99);
        }
        List<MediaEvent> mix = events.stream().filter(e -> e.hasAudioFrame() && e.getAudioFrame().getIsMix()).toList();
        assertThat(mix).isNotEmpty();
        assertThat(mix.get(0).getAudioFrame().getTrackId()).isEqualTo("mix");
        // The mix covers at least the longer speaker and carries energy.
        assertThat(mix.size() * 320L).isGreaterThanOrEqualTo(alice.length - 320L * 15);
        assertThat(mix.stream().mapToDouble(e -> e.getAudioFrame().getLevelDbov()).max().orElse(-127)).isGreaterThan(-40);
        sub.cancel();
    }

    @Test
    void resumeFromReplaysTheRingAndSaysWhenItCannot() throws Exception {
        start(new TapSettings(Duration.ofSeconds(2), 60_000, Duration.ofMillis(200), Duration.ofMillis(200)),
                MediaTapService.Settings.defaults());
        Meeting m = registry.create("resume");
        short[] alice = Wav.read(Wav.ALICE);
        IngestSummary s = ingest(m.id(), "Alice", "replay:alice", alice, 16000, IngestPacing.INGEST_PACING_FAST)
                .get(30, TimeUnit.SECONDS);
        Duration end = TapProtos.duration(s.getMediaEnd());
        Duration start = TapProtos.duration(s.getMediaStart());

        // 1 s before the end is inside the 2 s ring: replay starts at the frame containing it.
        Duration resume = end.minusSeconds(1);
        Collector inRing = subscribe(SubscribeRequest.newBuilder().setMeetingId(m.id())
                .setResumeFrom(TapProtos.duration(resume)).build());
        MediaEvent started = inRing.next();
        assertThat(started.getStarted().getResumeSatisfied()).isTrue();
        MediaEvent firstFrame = inRing.nextMatching(MediaEvent::hasAudioFrame);
        Duration at = TapProtos.duration(firstFrame.getAudioFrame().getMediaTime());
        assertThat(at).isLessThanOrEqualTo(resume).isGreaterThan(resume.minusMillis(21));
        assertThat(firstFrame.getAudioFrame().getSpeakerDisplayName()).isEqualTo("Alice");
        inRing.cancel();

        // The start of the file has left the ring: resume is not satisfied and a Gap says so.
        Collector tooOld = subscribe(SubscribeRequest.newBuilder().setMeetingId(m.id())
                .setResumeFrom(TapProtos.duration(start)).build());
        MediaEvent st = tooOld.next();
        assertThat(st.getStarted().getResumeSatisfied()).isFalse();
        Duration bufferStart = TapProtos.duration(st.getStarted().getBufferStart());
        assertThat(bufferStart).isGreaterThan(start);
        MediaEvent gap = tooOld.next();
        assertThat(gap.getGap().getReason()).isEqualTo(GapReason.GAP_REASON_RESUME_BEFORE_BUFFER);
        assertThat(TapProtos.duration(gap.getGap().getMediaEnd())).isEqualTo(bufferStart);
        MediaEvent oldest = tooOld.nextMatching(MediaEvent::hasAudioFrame);
        assertThat(TapProtos.duration(oldest.getAudioFrame().getMediaTime())).isEqualTo(bufferStart);
        tooOld.cancel();
    }

    @Test
    void aSubscriberResumingSecondsBackGetsEveryFrameOfTheRingNotTheLiveBoundAndAGap() throws Exception {
        // The live send buffer is 50 frames; 7 s of speech (≈ 350 frames, and its mix) wait in the
        // 30 s ring before anyone subscribes: the pipeline starting after captions went on. At most
        // 100 other events may wait: the replayed frames must not count as those either.
        start(TapSettings.defaults(), new MediaTapService.Settings(50, 100, 16));
        Meeting m = registry.create("late");
        short[] speech = Wav.read(Wav.LIBRIVOX + "sense_and_sensibility_01_austen_64kb-0870.wav");
        IngestSummary s = ingest(m.id(), "Alice", "replay:alice", speech, 16000, IngestPacing.INGEST_PACING_FAST)
                .get(30, TimeUnit.SECONDS);
        Collector late = subscribe(SubscribeRequest.newBuilder().setMeetingId(m.id()).setSubscriberName("late")
                .setResumeFrom(s.getMediaStart()).build());
        assertThat(late.next().getStarted().getResumeSatisfied()).isTrue();
        List<MediaEvent> events = late.until(MediaEvent::hasParticipantLeft, 1, Duration.ofSeconds(20));
        assertThat(events).noneMatch(MediaEvent::hasGap);
        List<MediaEvent> frames = events.stream().filter(e -> e.hasAudioFrame() && !e.getAudioFrame().getIsMix()).toList();
        assertThat((long) frames.size()).as("every frame of the 7 s").isEqualTo(s.getFramesAccepted());
        assertThat(frames.get(frames.size() - 1).getAudioFrame().getSequence()).isEqualTo(s.getFramesAccepted() - 1);
        late.cancel();
    }

    @Test
    void aSubscriberThatResumesAndThenStopsReadingIsCancelledAndLetGo() throws Exception {
        start(TapSettings.defaults(), new MediaTapService.Settings(50, 10_000, 16, Duration.ofSeconds(2)));
        Meeting m = registry.create("stalled");
        short[] speech = Wav.read(Wav.LIBRIVOX + "sense_and_sensibility_01_austen_64kb-0870.wav");
        IngestSummary s = ingest(m.id(), "Alice", "replay:alice", speech, 16000, IngestPacing.INGEST_PACING_FAST)
                .get(30, TimeUnit.SECONDS);
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        // A small transport window, so the replay cannot all sit in the socket: most of it waits on the server.
        ManagedChannel small = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                .flowControlWindow(16 * 1024).build();
        MediaTapGrpc.newStub(small).withDeadlineAfter(60, TimeUnit.SECONDS).subscribe(
                SubscribeRequest.newBuilder().setMeetingId(m.id()).setResumeFrom(s.getMediaStart()).build(),
                new ClientResponseObserver<SubscribeRequest, MediaEvent>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> call) {
                        call.disableAutoRequestWithInitial(1); // the first message, then never again
                    }

                    @Override
                    public void onNext(MediaEvent value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.complete(t);
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(null);
                    }
                });
        var tap = taps.tap(m.id()).orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (tap.subscriberCount() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(tap.subscriberCount()).as("subscribed").isEqualTo(1);
        // The stream's status cannot reach a client that reads nothing (it queues behind the data
        // the client does not take); what matters is that the server lets go of it and its backlog.
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (tap.subscriberCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(tap.subscriberCount()).as("cancelled after 2 s without progress").isZero();
        assertThat(ended.getNow(new Throwable("still open"))).as("never a clean end").isNotNull();
        small.shutdownNow();
    }

    @Test
    void aSubscriberThatDoesNotReadGetsGapsNotAnUnboundedQueue() throws Exception {
        start(TapSettings.defaults(), new MediaTapService.Settings(50, 10_000, 16));
        Meeting m = registry.create("slow");
        LinkedBlockingQueue<MediaEvent> got = new LinkedBlockingQueue<>();
        CompletableFuture<ClientCallStreamObserver<SubscribeRequest>> callRef = new CompletableFuture<>();
        // A small fixed HTTP/2 window, so the transport cannot absorb the whole stream for the client.
        ManagedChannel small = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                .flowControlWindow(64 * 1024).build();
        MediaTapGrpc.newStub(small).withDeadlineAfter(60, TimeUnit.SECONDS).subscribe(
                SubscribeRequest.newBuilder().setMeetingId(m.id()).build(),
                new ClientResponseObserver<SubscribeRequest, MediaEvent>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> call) {
                        call.disableAutoRequestWithInitial(1); // read the first message, then stall
                        callRef.complete(call);
                    }

                    @Override
                    public void onNext(MediaEvent value) {
                        got.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        assertThat(got.poll(10, TimeUnit.SECONDS).hasStarted()).isTrue();
        // 3 × the 7 s file, fast: far more than the 50-frame buffer plus the transport windows.
        short[] speech = Wav.read(Wav.LIBRIVOX + "sense_and_sensibility_01_austen_64kb-0870.wav");
        short[] longer = new short[speech.length * 3];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(speech, 0, longer, i * speech.length, speech.length);
        }
        IngestSummary s = ingest(m.id(), "Carol", "replay:carol", longer, 16000, IngestPacing.INGEST_PACING_FAST)
                .get(60, TimeUnit.SECONDS);
        callRef.get().request(Integer.MAX_VALUE); // now read everything
        List<MediaEvent> all = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (all.stream().noneMatch(MediaEvent::hasParticipantLeft) && System.nanoTime() < deadline) {
            MediaEvent e = got.poll(1, TimeUnit.SECONDS);
            if (e != null) {
                all.add(e);
            }
        }
        List<MediaEvent> frames = all.stream().filter(MediaEvent::hasAudioFrame).toList();
        List<MediaEvent> gaps = all.stream().filter(MediaEvent::hasGap).toList();
        assertThat(gaps).as("frames " + frames.size() + " of " + s.getFramesAccepted() + ", events " + all.size()).isNotEmpty();
        assertThat(gaps).allSatisfy(g -> assertThat(g.getGap().getReason()).isEqualTo(GapReason.GAP_REASON_SUBSCRIBER_SLOW));
        long missing = gaps.stream().mapToLong(g -> g.getGap().getMissingFrames()).sum();
        // Every frame is either delivered or accounted for by a gap.
        assertThat(frames.size() + missing).isEqualTo(s.getFramesAccepted());
        assertThat(frames.size()).isLessThan((int) s.getFramesAccepted());
        // The sequence jumps exactly where a gap says.
        MediaEvent g0 = gaps.get(0);
        long before = all.subList(0, all.indexOf(g0)).stream().filter(MediaEvent::hasAudioFrame).count();
        assertThat(g0.getGap().getFirstMissingSequence()).isEqualTo(before);
        assertThat(all).anyMatch(MediaEvent::hasParticipantLeft); // events are never dropped
        small.shutdownNow();
    }

    @Test
    void badRequestsGetClearStatuses() throws Exception {
        Meeting m = registry.create("bad");
        var blocking = MediaTapGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> blocking.subscribe(SubscribeRequest.newBuilder().setMeetingId("nope-nope-nop").build()).hasNext())
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> blocking.subscribe(SubscribeRequest.newBuilder().setMeetingId(m.id())
                .setAudioFormat(AudioFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16).setSampleRateHz(48000)).build()).hasNext())
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .hasMessageContaining("16000");
        assertThatThrownBy(() -> blocking.subscribe(SubscribeRequest.newBuilder().setMeetingId(m.id())
                .setTracks(TrackSelection.newBuilder().setMode(TrackSelectionMode.TRACK_SELECTION_MODE_LISTED)).build()).hasNext())
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

        // Ingest: audio before config, out-of-order sequence, oversized chunk, unknown meeting.
        assertThat(ingestError(List.of(audio(new byte[320], 0)))).contains("INVALID_ARGUMENT").contains("config");
        assertThat(ingestError(List.of(config("nope-nope-nop", 16000), audio(new byte[320], 0)))).contains("NOT_FOUND");
        assertThat(ingestError(List.of(config(m.id(), 16000), audio(new byte[320], 1)))).contains("INVALID_ARGUMENT").contains("expected 0");
        assertThat(ingestError(List.of(config(m.id(), 16000), audio(new byte[6400], 0)))).contains("INVALID_ARGUMENT").contains("100 ms");
        assertThat(ingestError(List.of(config(m.id(), 16000), config(m.id(), 16000)))).contains("INVALID_ARGUMENT").contains("once");
        assertThat(ingestError(List.of(config(m.id(), 96000)))).contains("INVALID_ARGUMENT").contains("8000");
        // A failed ingest leaves nobody behind.
        assertThat(m.participants()).isEmpty();
        // The service is still fine.
        assertThat(MediaTapGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .listMeetings(ListMeetingsRequest.getDefaultInstance()).getMeetingsList()).hasSize(1);
    }

    @Test
    void realtimePacingFollowsTheMeetingClock() throws Exception {
        Meeting m = registry.create("realtime");
        short[] alice = Wav.read(Wav.ALICE); // 2.99 s
        short[] first = java.util.Arrays.copyOf(alice, 24_000); // 1.5 s
        long t0 = System.nanoTime();
        Duration clockAtStart = m.mediaTime();
        IngestSummary s = ingest(m.id(), "Alice", "replay:alice", first, 16000, IngestPacing.INGEST_PACING_REALTIME)
                .get(20, TimeUnit.SECONDS);
        long wallMs = (System.nanoTime() - t0) / 1_000_000;
        // Back-pressured to real time (the last 60 ms may be published ahead of the clock).
        assertThat(wallMs).isBetween(1300L, 4000L);
        Duration start = TapProtos.duration(s.getMediaStart());
        assertThat(start).isBetween(clockAtStart, clockAtStart.plusMillis(500));
        assertThat(TapProtos.duration(s.getMediaEnd()).minus(start).toMillis()).isBetween(1500L, 1700L);
        assertThat(s.getFramesAccepted()).isEqualTo(75);
    }

    @Test
    void aListedMeetingSaysSinceWhenCaptionsAreOn() throws Exception {
        Meeting m = registry.create("cc");
        var stub = MediaTapGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
        assertThat(stub.listMeetings(ListMeetingsRequest.getDefaultInstance()).getMeetings(0).hasCaptionsSince()).isFalse();
        Thread.sleep(50);
        m.setCaptions(true, "en");
        Duration on = m.captionsSince();
        Thread.sleep(300);
        m.setCaptions(true, "fr"); // a change of language is the same run
        var listed = stub.listMeetings(ListMeetingsRequest.getDefaultInstance()).getMeetings(0);
        assertThat(TapProtos.duration(listed.getCaptionsSince())).isEqualTo(on);
        assertThat(TapProtos.duration(listed.getMediaTime())).as("noticed later than turned on")
                .isGreaterThan(on.plusMillis(250));
        m.setCaptions(false, "");
        assertThat(stub.listMeetings(ListMeetingsRequest.getDefaultInstance()).getMeetings(0).hasCaptionsSince()).isFalse();
    }

    @Test
    void listMeetingsPagesInStartOrder() {
        for (int i = 0; i < 5; i++) {
            registry.create("m" + i);
        }
        var stub = MediaTapGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
        List<String> seen = new ArrayList<>();
        String token = "";
        do {
            var r = stub.listMeetings(ListMeetingsRequest.newBuilder().setPageSize(2).setPageToken(token).build());
            r.getMeetingsList().forEach(mi -> seen.add(mi.getMeetingId()));
            token = r.getNextPageToken();
        } while (!token.isEmpty());
        assertThat(seen).containsExactlyElementsOf(registry.list().stream().map(Meeting::id).toList());
        assertThatThrownBy(() -> stub.listMeetings(ListMeetingsRequest.newBuilder().setPageToken("garbage!").build()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void resamplesA44kStereoIngestTo16kMono() throws Exception {
        Meeting m = registry.create("resample");
        Collector sub = subscribe(SubscribeRequest.newBuilder().setMeetingId(m.id()).build());
        assertThat(sub.next().hasStarted()).isTrue(); // live from here: audio sent before would be missed
        // 1 s of a 440 Hz tone, 44.1 kHz, stereo (same on both channels).
        int n = 44100;
        short[] stereo = new short[n * 2];
        for (int i = 0; i < n; i++) {
            short v = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 44100.0));
            stereo[2 * i] = v;
            stereo[2 * i + 1] = v;
        }
        IngestSummary s = ingestRaw(m.id(), "Tone", "replay:tone", stereo, 44100, 2, IngestPacing.INGEST_PACING_FAST)
                .get(20, TimeUnit.SECONDS);
        List<MediaEvent> events = sub.until(MediaEvent::hasParticipantLeft, 1, Duration.ofSeconds(10));
        short[] got = pcm(events.stream().filter(MediaEvent::hasAudioFrame).toList());
        assertThat(got.length).as(events.stream().filter(e -> !e.hasAudioFrame()).map(Object::toString).toList().toString())
                .isBetween(15900, 16000);
        // The tone survives: RMS of a 8000-amplitude sine is ~5657; count zero crossings ≈ 880.
        double[] env = Wav.envelope(java.util.Arrays.copyOfRange(got, 1600, 14400), 12800);
        assertThat(env[0]).isBetween(5400.0, 5900.0);
        int crossings = 0;
        for (int i = 1601; i < 14400; i++) {
            if ((got[i - 1] < 0) != (got[i] < 0)) {
                crossings++;
            }
        }
        assertThat(crossings).isBetween(700, 710); // 0.8 s × 880
        assertThat(s.getChunksAccepted()).isEqualTo(10);
        sub.cancel();
    }

    // ---- helpers ----

    private static short[] pcm(List<MediaEvent> frames) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (MediaEvent e : frames) {
            byte[] b = e.getAudioFrame().getPcm().toByteArray();
            all.write(b, 0, b.length);
        }
        byte[] b = all.toByteArray();
        short[] s = new short[b.length / 2];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    private CompletableFuture<IngestSummary> ingest(String meetingId, String name, String identity, short[] pcm, int rate,
                                                    IngestPacing pacing) {
        return ingestRaw(meetingId, name, identity, pcm, rate, 1, pacing, false);
    }

    private CompletableFuture<IngestSummary> ingestRaw(String meetingId, String name, String identity, short[] pcm, int rate,
                                                       int channels, IngestPacing pacing) {
        return ingestRaw(meetingId, name, identity, pcm, rate, channels, pacing, false);
    }

    private CompletableFuture<IngestSummary> ingestRaw(String meetingId, String name, String identity, short[] pcm, int rate,
                                                       int channels, IngestPacing pacing, boolean sharedMicrophone) {
        CompletableFuture<IngestSummary> done = new CompletableFuture<>();
        StreamObserver<IngestRequest> req = MediaIngestGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .ingest(observer(done));
        req.onNext(IngestRequest.newBuilder().setConfig(IngestConfig.newBuilder().setMeetingId(meetingId)
                .setDisplayName(name).setIdentity(identity).setPacing(pacing).setSourceName("test")
                .setSharedMicrophone(sharedMicrophone)
                .setAudioFormat(AudioFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16)
                        .setSampleRateHz(rate).setChannels(channels))).build());
        int chunk = rate / 10 * channels; // 100 ms
        long seq = 0;
        for (int off = 0; off < pcm.length; off += chunk) {
            int len = Math.min(chunk, pcm.length - off);
            req.onNext(audio(Wav.littleEndian(pcm, off, len), seq++));
        }
        req.onCompleted();
        return done;
    }

    private String ingestError(List<IngestRequest> messages) throws Exception {
        CompletableFuture<IngestSummary> done = new CompletableFuture<>();
        StreamObserver<IngestRequest> req = MediaIngestGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .ingest(observer(done));
        messages.forEach(req::onNext);
        req.onCompleted();
        try {
            done.get(10, TimeUnit.SECONDS);
            return "OK";
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause().getMessage();
        }
    }

    private static IngestRequest config(String meetingId, int rate) {
        return IngestRequest.newBuilder().setConfig(IngestConfig.newBuilder().setMeetingId(meetingId).setDisplayName("X")
                .setIdentity("replay:x").setAudioFormat(AudioFormat.newBuilder()
                        .setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16).setSampleRateHz(rate).setChannels(1))).build();
    }

    private static IngestRequest audio(byte[] pcm, long seq) {
        return IngestRequest.newBuilder().setAudio(IngestAudio.newBuilder().setPcm(ByteString.copyFrom(pcm)).setSequence(seq)).build();
    }

    private static <T> StreamObserver<T> observer(CompletableFuture<T> done) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                done.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private Collector subscribe(SubscribeRequest r) {
        Collector c = new Collector();
        MediaTapGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS).subscribe(r, c);
        return c;
    }

    /** Collects a Subscribe stream. */
    static final class Collector implements ClientResponseObserver<SubscribeRequest, MediaEvent> {
        final LinkedBlockingQueue<MediaEvent> events = new LinkedBlockingQueue<>();
        volatile ClientCallStreamObserver<SubscribeRequest> call;

        @Override
        public void beforeStart(ClientCallStreamObserver<SubscribeRequest> c) {
            call = c;
        }

        @Override
        public void onNext(MediaEvent value) {
            events.add(value);
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }

        MediaEvent next() throws InterruptedException {
            MediaEvent e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an event within 10 s").isNotNull();
            return e;
        }

        MediaEvent nextMatching(java.util.function.Predicate<MediaEvent> p) throws InterruptedException {
            while (true) {
                MediaEvent e = next();
                if (p.test(e)) {
                    return e;
                }
            }
        }

        List<MediaEvent> until(java.util.function.Predicate<MediaEvent> p, int count, Duration max) throws InterruptedException {
            List<MediaEvent> out = new ArrayList<>();
            long deadline = System.nanoTime() + max.toNanos();
            int seen = 0;
            while (seen < count && System.nanoTime() < deadline) {
                MediaEvent e = events.poll(200, TimeUnit.MILLISECONDS);
                if (e != null) {
                    out.add(e);
                    if (p.test(e)) {
                        seen++;
                    }
                }
            }
            assertThat(seen).as("matching events within " + max).isEqualTo(count);
            return out;
        }

        void cancel() {
            call.cancel("test done", null);
        }
    }
}
