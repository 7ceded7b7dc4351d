package org.steno.pipeline.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.steno.proto.media.v1.AudioFrame;
import org.steno.proto.media.v1.ListMeetingsRequest;
import org.steno.proto.media.v1.ListMeetingsResponse;
import org.steno.proto.media.v1.MediaEvent;
import org.steno.proto.media.v1.MediaTapGrpc;
import org.steno.proto.media.v1.MeetingEnded;
import org.steno.proto.media.v1.MeetingInfo;
import org.steno.proto.media.v1.Participant;
import org.steno.proto.media.v1.SubscribeRequest;
import org.steno.proto.media.v1.SubscriptionStarted;
import org.steno.proto.media.v1.Track;
import org.steno.proto.media.v1.TrackKind;

/**
 * Test double of the SFU's MediaTap: serves meetings made of audio files, one track per
 * speaker, as 20 ms frames paced at {@code speed} × real time, from {@code resume_from} (or
 * the start: this fake's "live edge" is media time 0). After the last frame it sends
 * MeetingEnded and closes the stream with OK; a later subscribe replays from the ring as the
 * real tap does, so a restored job can resume. Respects gRPC flow control.
 */
public final class ReplayMediaTap extends MediaTapGrpc.MediaTapImplBase {

    /** One speaker's track. */
    public record Speaker(String trackId, String participantId, String name, byte[] pcm) {
    }

    private final Map<String, List<Speaker>> meetings = new ConcurrentHashMap<>();
    private final Map<String, Long> startedAt = new ConcurrentHashMap<>();
    private final Map<String, Boolean> ended = new ConcurrentHashMap<>();
    private final double speed;
    private final ExecutorService pacing = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "replay-mediatap");
        t.setDaemon(true);
        return t;
    });
    /** meeting/track → [from, to): audio "lost before the SFU", announced by a Gap event. */
    private final Map<String, long[]> losses = new ConcurrentHashMap<>();
    /** meeting/track whose frames are malformed (odd byte counts, a wrong rate, empty, full-scale noise). */
    private final java.util.Set<String> garbled = ConcurrentHashMap.newKeySet();
    /** meeting → media time at which its stream breaks off with an error and the meeting is gone. */
    private final Map<String, Long> breaksOff = new ConcurrentHashMap<>();
    public final AtomicInteger subscriptions = new AtomicInteger();
    /** 20 ms audio frames handed to subscribers (flow control holds them back when a reader is behind). */
    public final java.util.concurrent.atomic.AtomicLong audioFramesSent = new java.util.concurrent.atomic.AtomicLong();
    public final Map<String, List<Long>> resumeRequests = new ConcurrentHashMap<>();
    private final Map<String, Long> toggles = new ConcurrentHashMap<>();
    private final Map<String, Long> captionsSince = new ConcurrentHashMap<>();

    public ReplayMediaTap(double speed) {
        this.speed = speed;
    }

    /** Adds a meeting with captions on; it is listed from now on. */
    public ReplayMediaTap meeting(String id, Speaker... speakers) {
        meetings.put(id, List.of(speakers));
        return this;
    }

    /** The track's audio from {@code fromMs} to {@code toMs} never arrives; a Gap (source loss) says so. */
    public ReplayMediaTap loses(String meetingId, String trackId, long fromMs, long toMs) {
        losses.put(meetingId + "/" + trackId, new long[] {fromMs / 20 * 20, toMs / 20 * 20});
        return this;
    }

    /** The track's frames are malformed in turn: 639 bytes, 48 kHz, empty, full-scale noise. */
    public ReplayMediaTap garbles(String meetingId, String trackId) {
        garbled.add(meetingId + "/" + trackId);
        return this;
    }

    /** At {@code atMs} the meeting's stream fails with INTERNAL and the meeting is gone (NOT_FOUND from then on). */
    public ReplayMediaTap breaksOffAt(String meetingId, long atMs) {
        breaksOff.put(meetingId, atMs / 20 * 20);
        return this;
    }

    /**
     * At {@code atMs} the meeting's stream fails (UNAVAILABLE: a MediaTap restart) and, while the
     * reader is away, the host turns captions off and on: from then on the meeting says captions
     * are on since {@code atMs}. Once per meeting.
     */
    public ReplayMediaTap togglesCaptionsAt(String meetingId, long atMs) {
        toggles.put(meetingId, atMs);
        return this;
    }

    /** Wall-clock instant (ms) at which media time 0 of a meeting was first served; 0 before. */
    public long mediaZeroEpochMs(String meetingId) {
        return startedAt.getOrDefault(meetingId, 0L);
    }

    public double speed() {
        return speed;
    }

    public void shutdown() {
        pacing.shutdownNow();
    }

    private MeetingInfo info(String id) {
        MeetingInfo.Builder b = MeetingInfo.newBuilder();
        if (captionsSince.containsKey(id)) {
            b.setCaptionsSince(Durations.fromMillis(captionsSince.get(id)));
        }
        return b.setMeetingId(id).setTitle("Replay " + id)
                .setStartTime(Timestamps.fromMillis(startedAt.getOrDefault(id, System.currentTimeMillis())))
                .setMediaTime(Durations.fromMillis(0)).setParticipantCount(meetings.get(id).size())
                .setCaptionsEnabled(true).setLanguage("en-US").build();
    }

    @Override
    public void listMeetings(ListMeetingsRequest request, StreamObserver<ListMeetingsResponse> response) {
        ListMeetingsResponse.Builder b = ListMeetingsResponse.newBuilder();
        meetings.keySet().stream().filter(id -> !ended.containsKey(id)).forEach(id -> b.addMeetings(info(id)));
        response.onNext(b.build());
        response.onCompleted();
    }

    @Override
    public void subscribe(SubscribeRequest req, StreamObserver<MediaEvent> response) {
        List<Speaker> speakers = meetings.get(req.getMeetingId());
        if (speakers == null || breaksOff.containsKey(req.getMeetingId()) && ended.containsKey(req.getMeetingId())) {
            response.onError(Status.NOT_FOUND.withDescription("no meeting " + req.getMeetingId()).asRuntimeException());
            return;
        }
        subscriptions.incrementAndGet();
        long resume = req.hasResumeFrom() ? Durations.toMillis(req.getResumeFrom()) : 0;
        resumeRequests.computeIfAbsent(req.getMeetingId(), k -> new ArrayList<>()).add(resume);
        ServerCallStreamObserver<MediaEvent> out = (ServerCallStreamObserver<MediaEvent>) response;
        Object ready = new Object();
        out.setOnReadyHandler(() -> {
            synchronized (ready) {
                ready.notifyAll();
            }
        });
        pacing.execute(() -> stream(req.getMeetingId(), speakers, resume, out, ready));
    }

    private void stream(String id, List<Speaker> speakers, long resumeMs, ServerCallStreamObserver<MediaEvent> out, Object ready) {
        try {
            SubscriptionStarted.Builder st = SubscriptionStarted.newBuilder().setMeeting(info(id))
                    .setEffectiveStart(Durations.fromMillis(resumeMs)).setResumeSatisfied(true);
            for (Speaker s : speakers) {
                st.addParticipants(Participant.newBuilder().setParticipantId(s.participantId()).setIdentity("guest:" + s.participantId())
                        .setDisplayName(s.name()));
                st.addTracks(Track.newBuilder().setTrackId(s.trackId()).setParticipantId(s.participantId())
                        .setKind(TrackKind.TRACK_KIND_AUDIO).setCodec("audio/opus"));
            }
            send(out, ready, MediaEvent.newBuilder().setMeetingId(id).setStarted(st).build());
            long longest = speakers.stream().mapToLong(s -> s.pcm().length / 32).max().orElse(0);
            long first = resumeMs / 20 * 20;
            // One immutable copy per track; frames are views of it (no copy per frame: this
            // fake shares the machine with the pipeline it measures).
            ByteString[] pcm = speakers.stream().map(s -> ByteString.copyFrom(s.pcm())).toArray(ByteString[]::new);
            long wallStart = System.nanoTime();
            startedAt.putIfAbsent(id, System.currentTimeMillis() - (long) (first / speed));
            for (long t = first; t < longest; t += 20) {
                long dueNanos = wallStart + (long) ((t - first) / speed * 1_000_000);
                long wait = dueNanos - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Long toggle = toggles.get(id);
                if (toggle != null && t >= toggle) {
                    toggles.remove(id);
                    captionsSince.put(id, toggle);
                    out.onError(Status.UNAVAILABLE.withDescription("MediaTap restarting").asRuntimeException());
                    return;
                }
                if (breaksOff.containsKey(id) && t >= breaksOff.get(id)) {
                    ended.put(id, true);
                    out.onError(Status.INTERNAL.withDescription("MediaTap crashed").asRuntimeException());
                    return;
                }
                for (int k = 0; k < speakers.size(); k++) {
                    Speaker s = speakers.get(k);
                    int from = (int) (t * 32);
                    if (from >= s.pcm().length) {
                        continue;
                    }
                    long[] lost = losses.get(id + "/" + s.trackId());
                    if (lost != null && t >= lost[0] && t < lost[1]) {
                        if (t == lost[0]) {
                            send(out, ready, MediaEvent.newBuilder().setMeetingId(id).setMediaTime(Durations.fromMillis(lost[1]))
                                    .setGap(org.steno.proto.media.v1.Gap.newBuilder().setTrackId(s.trackId())
                                            .setReason(org.steno.proto.media.v1.GapReason.GAP_REASON_SOURCE_LOSS)
                                            .setMediaStart(Durations.fromMillis(lost[0])).setMediaEnd(Durations.fromMillis(lost[1]))
                                            .setFirstMissingSequence(t / 20).setMissingFrames((lost[1] - lost[0]) / 20))
                                    .build());
                        }
                        continue;
                    }
                    ByteString chunk = pcm[k].substring(from, Math.min(s.pcm().length, from + 640));
                    int rate = 16000;
                    if (garbled.contains(id + "/" + s.trackId())) {
                        switch ((int) (t / 20 % 4)) {
                            case 0 -> chunk = chunk.substring(0, chunk.size() - 1);
                            case 1 -> rate = 48000;
                            case 2 -> chunk = ByteString.EMPTY;
                            default -> {
                                byte[] noise = new byte[chunk.size()];
                                new java.util.Random(t).nextBytes(noise);
                                chunk = ByteString.copyFrom(noise);
                            }
                        }
                    }
                    send(out, ready, MediaEvent.newBuilder().setMeetingId(id).setMediaTime(Durations.fromMillis(t))
                            .setAudioFrame(AudioFrame.newBuilder().setTrackId(s.trackId()).setParticipantId(s.participantId())
                                    .setSpeakerIdentity("guest:" + s.participantId()).setSpeakerDisplayName(s.name())
                                    .setSequence(t / 20).setMediaTime(Durations.fromMillis(t)).setSampleRateHz(rate)
                                    .setChannels(1).setPcm(chunk))
                            .build());
                    audioFramesSent.incrementAndGet();
                }
            }
            ended.put(id, true);
            send(out, ready, MediaEvent.newBuilder().setMeetingId(id).setMediaTime(Durations.fromMillis(longest))
                    .setMeetingEnded(MeetingEnded.newBuilder().setMeetingId(id).setMediaDuration(Durations.fromMillis(longest)))
                    .build());
            out.onCompleted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The subscriber went away (cancelled); nothing to clean up.
        }
    }

    private static void send(ServerCallStreamObserver<MediaEvent> out, Object ready, MediaEvent e) throws InterruptedException {
        synchronized (ready) {
            while (!out.isReady()) {
                if (out.isCancelled()) {
                    throw new IllegalStateException("cancelled");
                }
                ready.wait(50);
            }
        }
        out.onNext(e);
    }
}
