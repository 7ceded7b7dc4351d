package org.steno.pipeline.source;

import com.google.protobuf.util.Durations;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.steno.pipeline.speech.MeetingMeta;
import org.steno.proto.media.v1.MediaEvent;
import org.steno.proto.media.v1.MediaTapGrpc;
import org.steno.proto.media.v1.SubscribeRequest;
import org.steno.proto.media.v1.TrackSelection;
import org.steno.proto.media.v1.TrackSelectionMode;

/**
 * The reader's live subscription to one meeting. It asks MediaTap for {@code bufferEvents}
 * events ahead and one more for each event taken, so at most that many wait in memory; a
 * reader that falls behind holds back the gRPC stream (MediaTap then reports a Gap).
 */
final class MeetingTap implements ClientResponseObserver<SubscribeRequest, MediaEvent> {

    final String meetingId;
    final String transcriptId;
    MeetingMeta meta;
    final Map<String, TrackProgress> tracks;
    final long captionsOnMs;
    /** Tracks published as shared microphones; re-learnt from every subscription's start, so not checkpointed. */
    final java.util.Set<String> sharedTracks = new java.util.HashSet<>();
    /** Tracks already warned about for malformed frames: one line per track and kind, not one per frame. */
    final java.util.Set<String> warnedTracks = new java.util.HashSet<>();
    /** CaptionControl "on" was sent by this reader (a resubscribe does not send it again). */
    boolean captionsAnnounced;
    private final int bufferEvents;
    private final Runnable onData;
    private final Queue<MediaEvent> queue = new ConcurrentLinkedQueue<>();
    private volatile ClientCallStreamObserver<SubscribeRequest> call;
    private volatile Status error;
    private volatile boolean completed;
    boolean done;
    long backoffMs = 200;
    long nextAttemptAtMs;

    MeetingTap(MeetingSplit split, int bufferEvents, Runnable onData) {
        this.meetingId = split.meetingId();
        this.transcriptId = split.transcriptId();
        this.meta = split.meta();
        this.tracks = new LinkedHashMap<>(split.tracks());
        this.captionsOnMs = split.captionsOnMs();
        // A split restored with progress was announced by the reader that made it (the "on" goes
        // out before the first frame): viewers are not told again after a restore.
        this.captionsAnnounced = !split.tracks().isEmpty();
        this.bufferEvents = bufferEvents;
        this.onData = onData;
    }

    void subscribe(Channel channel, String subscriberName) {
        error = null;
        completed = false;
        queue.clear();
        SubscribeRequest.Builder req = SubscribeRequest.newBuilder()
                .setMeetingId(meetingId)
                .setTracks(TrackSelection.newBuilder().setMode(TrackSelectionMode.TRACK_SELECTION_MODE_ALL_SPEAKERS))
                .setSubscriberName(subscriberName);
        // Resume from the earliest point any open track has not reached; later frames of
        // tracks that are further on are skipped by the reader (their position is per track).
        // A fresh split starts where captions were turned on (the ring buffer covers the job's start-up).
        long from = tracks.isEmpty() ? captionsOnMs
                : tracks.values().stream().filter(p -> !p.closed()).mapToLong(TrackProgress::reachedMs).min().orElse(captionsOnMs);
        req.setResumeFrom(Durations.fromMillis(from));
        MediaTapGrpc.newStub(channel).subscribe(req.build(), this);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> c) {
        call = c;
        c.disableAutoRequestWithInitial(bufferEvents);
    }

    @Override
    public void onNext(MediaEvent e) {
        queue.add(e);
        onData.run();
    }

    @Override
    public void onError(Throwable t) {
        error = Status.fromThrowable(t);
        onData.run();
    }

    @Override
    public void onCompleted() {
        completed = true;
        onData.run();
    }

    /** The next event, or null; taking one asks the server for one more. */
    MediaEvent poll() {
        MediaEvent e = queue.poll();
        if (e != null) {
            ClientCallStreamObserver<SubscribeRequest> c = call;
            if (c != null) {
                c.request(1);
            }
        }
        return e;
    }

    boolean hasQueued() {
        return !queue.isEmpty();
    }

    /** The stream failed (and everything it delivered has been taken). */
    Status failure() {
        return queue.isEmpty() ? error : null;
    }

    /** The server closed the stream normally (after MeetingEnded) and everything was taken. */
    boolean endedByServer() {
        return completed && queue.isEmpty();
    }

    void cancel() {
        ClientCallStreamObserver<SubscribeRequest> c = call;
        if (c != null && !completed && error == null) {
            c.cancel("pipeline stopped reading meeting " + meetingId, null);
        }
    }

    MeetingSplit snapshot() {
        return new MeetingSplit(meetingId, transcriptId, meta, tracks, captionsOnMs);
    }
}
