package org.steno.pipeline.source;

import org.steno.access.ServiceToken;
import com.google.protobuf.util.Durations;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.pipeline.speech.AudioCoalescer;
import org.steno.pipeline.speech.MeetingMeta;
import org.steno.pipeline.speech.TrackEvent;
import org.steno.proto.media.v1.AudioFrame;
import org.steno.proto.media.v1.MediaEvent;
import org.steno.proto.media.v1.MeetingInfo;
import org.steno.proto.media.v1.Participant;
import org.steno.proto.media.v1.Track;

/**
 * Streams the audio of the meetings assigned to this subtask from {@code MediaTap.Subscribe}
 * and turns it into {@link TrackEvent}s. It never blocks: with nothing queued it returns
 * NOTHING_AVAILABLE and gRPC callbacks complete the availability future. A broken
 * subscription is reopened with backoff from the media time reached per track; frames before
 * that position (a replayed ring buffer) are skipped, so nothing is emitted twice.
 */
final class MediaTapReader implements SourceReader<TrackEvent, MeetingSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(MediaTapReader.class);
    /** Shorter losses are concealed by the SFU or lose less than a syllable: not worth a coverage gap. */
    static final long MIN_GAP_MS = 200;

    private final SourceReaderContext context;
    private final MediaTapSettings settings;
    private final Map<String, MeetingTap> taps = new LinkedHashMap<>();
    private final Map<String, Map<String, Participant>> participants = new HashMap<>();
    private final Object lock = new Object();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private ManagedChannel channel;
    private ScheduledExecutorService timer;
    private long rotation;
    /** The taps in a list, rebuilt when splits come or go (not per poll). */
    private List<MeetingTap> tapList = List.of();

    private final ServiceToken token;

    MediaTapReader(SourceReaderContext context, MediaTapSettings settings, ServiceToken token) {
        this.context = context;
        this.token = token;
        this.settings = settings;
    }

    @Override
    public void start() {
        connect();
    }

    /** Idempotent: restored splits are added before {@link #start()} is called. */
    private void connect() {
        if (channel != null) {
            return;
        }
        channel = ServiceToken.applyIfAny(token, NettyChannelBuilder.forTarget(settings.target()).usePlaintext()
                .keepAliveTime(30, TimeUnit.SECONDS)).build();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mediatap-reader-" + context.getIndexOfSubtask() + "-retry");
            t.setDaemon(true);
            return t;
        });
    }

    private String subscriberName(MeetingTap tap) {
        return "pipeline/" + tap.transcriptId + "/subtask-" + context.getIndexOfSubtask();
    }

    @Override
    public void addSplits(List<MeetingSplit> splits) {
        connect();
        for (MeetingSplit s : splits) {
            MeetingTap tap = new MeetingTap(s, settings.bufferEvents(), this::signal);
            taps.put(s.splitId(), tap);
            participants.put(s.meetingId(), new HashMap<>());
            LOG.info("reading meeting {} (transcript {}) from {}", s.meetingId(), s.transcriptId(),
                    s.tracks().isEmpty() ? "media time " + s.captionsOnMs() + " ms (captions on)" : "its checkpointed position " + s.tracks());
            tap.subscribe(channel, subscriberName(tap));
        }
        tapList = new ArrayList<>(taps.values());
    }

    @Override
    public InputStatus pollNext(ReaderOutput<TrackEvent> output) {
        long now = System.currentTimeMillis();
        // Start at a different meeting each time, so a busy meeting cannot starve the others.
        List<MeetingTap> order = tapList;
        int n = order.size();
        int first = n == 0 ? 0 : (int) (rotation++ % n);
        for (int i = 0; i < n; i++) {
            MeetingTap tap = order.get((first + i) % n);
            MediaEvent e = tap.poll();
            if (e != null) {
                // Take what this meeting has queued already (never wait for more): when the job
                // is behind, a track's frames queued behind each other go out as one event of up
                // to 100 ms; when it keeps up, each frame goes out alone, at once.
                AudioCoalescer merged = new AudioCoalescer(AudioCoalescer.DEFAULT_MAX_MS, output::collect);
                int taken = 0;
                do {
                    handle(tap, e, merged);
                } while (!tap.done && ++taken < settings.bufferEvents() && (e = tap.poll()) != null);
                merged.flush(); // before finish() and before any checkpoint: state = what was emitted
                if (tap.done) {
                    finish(tap, output, "ended");
                }
                return InputStatus.MORE_AVAILABLE;
            }
            if (tap.endedByServer()) {
                finish(tap, output, "stream closed by MediaTap");
                return InputStatus.MORE_AVAILABLE;
            }
            Status failure = tap.failure();
            if (failure != null) {
                if (failure.getCode() == Status.Code.NOT_FOUND) {
                    finish(tap, output, "meeting no longer active (" + failure.getDescription() + ")");
                    return InputStatus.MORE_AVAILABLE;
                }
                retry(tap, failure, now);
            }
        }
        synchronized (lock) {
            for (MeetingTap tap : taps.values()) {
                if (tap.hasQueued()) {
                    return InputStatus.MORE_AVAILABLE;
                }
            }
            if (available.isDone()) {
                available = new CompletableFuture<>();
            }
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    private void retry(MeetingTap tap, Status failure, long now) {
        if (tap.nextAttemptAtMs == 0) {
            LOG.warn("MediaTap subscription to {} failed ({}); resubscribing in {} ms", tap.meetingId, failure, tap.backoffMs);
            tap.nextAttemptAtMs = now + tap.backoffMs;
            tap.backoffMs = Math.min(settings.maxBackoffMs(), tap.backoffMs * 2);
            timer.schedule(this::signal, tap.nextAttemptAtMs - now, TimeUnit.MILLISECONDS);
        } else if (now >= tap.nextAttemptAtMs) {
            tap.nextAttemptAtMs = 0;
            tap.subscribe(channel, subscriberName(tap));
        }
    }

    private void handle(MeetingTap tap, MediaEvent e, AudioCoalescer out) {
        Map<String, Participant> people = participants.get(tap.meetingId);
        switch (e.getEventCase()) {
            case STARTED -> {
                tap.backoffMs = 200;
                e.getStarted().getParticipantsList().forEach(p -> people.put(p.getParticipantId(), p));
                e.getStarted().getTracksList().forEach(t -> noteTrack(tap, t));
                MeetingInfo m = e.getStarted().getMeeting();
                updateMeta(tap, m);
                if (!m.getCaptionsEnabled() || isLaterRun(tap, m)) {
                    tap.done = true;
                } else if (!tap.captionsAnnounced) {
                    tap.captionsAnnounced = true;
                    out.add(TrackEvent.captions(true, tap.meetingId, tap.transcriptId, tap.meta.language(),
                            Durations.toMillis(e.getStarted().getEffectiveStart()), tap.meta));
                }
            }
            case TRACK_PUBLISHED -> noteTrack(tap, e.getTrackPublished().getTrack());
            case PARTICIPANT_JOINED -> people.put(e.getParticipantJoined().getParticipant().getParticipantId(),
                    e.getParticipantJoined().getParticipant());
            case PARTICIPANT_UPDATED -> people.put(e.getParticipantUpdated().getParticipant().getParticipantId(),
                    e.getParticipantUpdated().getParticipant());
            case PARTICIPANT_LEFT -> {
                String pid = e.getParticipantLeft().getParticipant().getParticipantId();
                for (Map.Entry<String, TrackProgress> t : tap.tracks.entrySet()) {
                    if (t.getValue().participantId().equals(pid) && !t.getValue().closed()) {
                        closeTrack(tap, t.getKey(), Durations.toMillis(e.getMediaTime()), out);
                    }
                }
            }
            case TRACK_UNPUBLISHED -> {
                Track t = e.getTrackUnpublished().getTrack();
                TrackProgress p = tap.tracks.get(t.getTrackId());
                if (p != null && !p.closed()) {
                    closeTrack(tap, t.getTrackId(), Durations.toMillis(e.getMediaTime()), out);
                }
            }
            case AUDIO_FRAME -> audio(tap, e.getAudioFrame(), people, out);
            case MEETING_UPDATED -> {
                updateMeta(tap, e.getMeetingUpdated());
                if (!e.getMeetingUpdated().getCaptionsEnabled()) {
                    tap.done = true;
                }
            }
            case MEETING_ENDED -> tap.done = true;
            case GAP -> gap(tap, e.getGap(), out);
            default -> {
                // Heartbeats, mute events: frames carry everything else we need.
            }
        }
    }

    /** Audio that will never come goes to the transcript as a coverage gap (too short to hide a word: logged only). */
    private static void gap(MeetingTap tap, org.steno.proto.media.v1.Gap g, AudioCoalescer out) {
        long start = Durations.toMillis(g.getMediaStart());
        long end = Durations.toMillis(g.getMediaEnd());
        LOG.info("meeting {}: audio gap on track '{}' {}–{} ms ({})", tap.meetingId, g.getTrackId(), start, end, g.getReason());
        if (end - start >= MIN_GAP_MS) {
            out.add(TrackEvent.gap(tap.meetingId, tap.transcriptId, g.getTrackId(), start, end, gapReason(g.getReason()),
                    tap.meta));
        }
    }

    static String gapReason(org.steno.proto.media.v1.GapReason r) {
        return switch (r) {
            case GAP_REASON_SUBSCRIBER_SLOW -> "the pipeline read too slowly and MediaTap dropped audio";
            case GAP_REASON_RESUME_BEFORE_BUFFER -> "the pipeline resumed after MediaTap's buffer had moved on";
            case GAP_REASON_SOURCE_LOSS -> "the audio did not reach the SFU (network loss)";
            case GAP_REASON_SERVER_OVERLOAD -> "the SFU was overloaded and skipped audio";
            default -> "audio lost";
        };
    }

    private static void noteTrack(MeetingTap tap, Track t) {
        if (t.getSharedMicrophone()) {
            tap.sharedTracks.add(t.getTrackId());
        }
    }

    private static void updateMeta(MeetingTap tap, MeetingInfo m) {
        MeetingMeta old = tap.meta;
        tap.meta = new MeetingMeta(m.getTitle(), old.startEpochMs() != 0 ? old.startEpochMs()
                : com.google.protobuf.util.Timestamps.toMillis(m.getStartTime()),
                m.getLanguage().isEmpty() ? old.language() : m.getLanguage(),
                m.getRecordingId().isEmpty() ? old.recordingId() : m.getRecordingId());
    }

    private void audio(MeetingTap tap, AudioFrame f, Map<String, Participant> people, AudioCoalescer out) {
        if (f.getIsMix() || f.getPcm().isEmpty()) {
            return;
        }
        if (f.getSampleRateHz() != 16000 || f.getChannels() > 1) {
            if (tap.warnedTracks.add(f.getTrackId() + "/format")) {
                LOG.warn("meeting {} track {}: unsupported frame format {} Hz × {}; such frames are skipped", tap.meetingId,
                        f.getTrackId(), f.getSampleRateHz(), f.getChannels());
            }
            return;
        }
        long mediaMs = Durations.toMillis(f.getMediaTime());
        byte[] pcm = f.getPcm().toByteArray();
        if ((pcm.length & 1) == 1) {
            if (tap.warnedTracks.add(f.getTrackId() + "/odd")) {
                LOG.warn("meeting {} track {}: frame {} has an odd byte count; such frames are skipped", tap.meetingId,
                        f.getTrackId(), f.getSequence());
            }
            return;
        }
        TrackProgress p = tap.tracks.get(f.getTrackId());
        if (p != null && (p.closed() || mediaMs < p.reachedMs())) {
            return; // already emitted before a resubscribe or restore
        }
        Participant who = people.get(f.getParticipantId());
        String name = !f.getSpeakerDisplayName().isEmpty() ? f.getSpeakerDisplayName()
                : who != null ? who.getDisplayName() : f.getParticipantId();
        String identity = !f.getSpeakerIdentity().isEmpty() ? f.getSpeakerIdentity() : who != null ? who.getIdentity() : "";
        if (p == null) {
            p = new TrackProgress(mediaMs, f.getParticipantId(), identity, name, false);
        }
        tap.tracks.put(f.getTrackId(), p.advance(mediaMs + pcm.length / 32, name));
        out.add(TrackEvent.audio(tap.meetingId, tap.transcriptId, f.getTrackId(), f.getParticipantId(), identity, name,
                tap.meta.language(), mediaMs, pcm, tap.meta).withSharedMicrophone(tap.sharedTracks.contains(f.getTrackId())));
    }

    /**
     * Captions went off and on again while this reader was not subscribed (a resubscribe after
     * an error): this run is over; the enumerator starts the new one from its own start.
     */
    private static boolean isLaterRun(MeetingTap tap, MeetingInfo m) {
        return m.hasCaptionsSince() && Durations.toMillis(m.getCaptionsSince()) > tap.captionsOnMs;
    }

    private void closeTrack(MeetingTap tap, String trackId, long mediaMs, AudioCoalescer out) {
        TrackProgress p = tap.tracks.get(trackId);
        tap.tracks.put(trackId, p.close());
        out.add(TrackEvent.trackEnd(tap.meetingId, tap.transcriptId, trackId, p.participantId(), p.identity(),
                p.displayName(), tap.meta.language(), mediaMs, false, new String[0], tap.meta)
                .withSharedMicrophone(tap.sharedTracks.contains(trackId)));
    }

    /** Ends every track of the meeting (the transcript writer then assembles the final files). */
    private void finish(MeetingTap tap, ReaderOutput<TrackEvent> out, String why) {
        String[] all = tap.tracks.keySet().toArray(new String[0]);
        for (Map.Entry<String, TrackProgress> t : tap.tracks.entrySet()) {
            TrackProgress p = t.getValue();
            out.collect(TrackEvent.trackEnd(tap.meetingId, tap.transcriptId, t.getKey(), p.participantId(), p.identity(),
                    p.displayName(), tap.meta.language(), p.reachedMs(), true, all, tap.meta)
                    .withSharedMicrophone(tap.sharedTracks.contains(t.getKey())));
        }
        long end = tap.tracks.values().stream().mapToLong(TrackProgress::reachedMs).max().orElse(0);
        out.collect(TrackEvent.captions(false, tap.meetingId, tap.transcriptId, "", end, tap.meta));
        tap.cancel();
        taps.remove(tap.meetingId + "#" + tap.transcriptId);
        tapList = new ArrayList<>(taps.values());
        participants.remove(tap.meetingId);
        context.sendSourceEventToCoordinator(new SplitFinishedEvent(tap.meetingId, tap.transcriptId));
        LOG.info("meeting {} transcript {} finished: {}", tap.meetingId, tap.transcriptId, why);
    }

    private void signal() {
        synchronized (lock) {
            available.complete(null);
        }
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        synchronized (lock) {
            return available;
        }
    }

    @Override
    public List<MeetingSplit> snapshotState(long checkpointId) {
        List<MeetingSplit> out = new ArrayList<>();
        taps.values().forEach(t -> out.add(t.snapshot()));
        return out;
    }

    @Override
    public void notifyNoMoreSplits() {
        // Unbounded: new meetings keep coming.
    }

    @Override
    public void close() throws Exception {
        taps.values().forEach(MeetingTap::cancel);
        if (timer != null) {
            timer.shutdownNow();
        }
        if (channel != null) {
            channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
    }
}
