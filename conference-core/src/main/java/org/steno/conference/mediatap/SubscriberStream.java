package org.steno.conference.mediatap;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.tap.MeetingTap;
import org.steno.conference.tap.PcmFrame;
import org.steno.conference.tap.TapEvent;
import org.steno.conference.tap.TapStart;
import org.steno.conference.tap.TapSubscriber;
import org.steno.proto.media.v1.Gap;
import org.steno.proto.media.v1.GapReason;
import org.steno.proto.media.v1.Heartbeat;
import org.steno.proto.media.v1.MediaEvent;
import org.steno.proto.media.v1.ParticipantJoined;
import org.steno.proto.media.v1.ParticipantLeft;
import org.steno.proto.media.v1.ParticipantUpdated;
import org.steno.proto.media.v1.SubscriptionStarted;
import org.steno.proto.media.v1.TrackMuted;
import org.steno.proto.media.v1.TrackPublished;
import org.steno.proto.media.v1.TrackUnmuted;
import org.steno.proto.media.v1.TrackUnpublished;

/**
 * One MediaTap subscription: turns tap events into MediaEvents and sends them as fast as
 * the client reads, never faster. Live audio cannot wait, so the send buffer is bounded
 * ({@code maxQueuedFrames}); frames that do not fit are dropped and replaced by one
 * {@code Gap(SUBSCRIBER_SLOW)} per track, sent before that track's next frame. Frames replayed
 * from the ring when a subscription resumes are not held to that bound (the ring bounds them):
 * a pipeline that subscribes seconds after captions went on, or resumes after a restore,
 * must get the audio it resumes for, not 2 s of it and a gap. Events
 * (joins, tracks) are never dropped; a client so slow that even those pile up past
 * {@code maxQueuedEvents} is cancelled with RESOURCE_EXHAUSTED.
 */
final class SubscriberStream implements TapSubscriber {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriberStream.class);
    private static final Object COMPLETE = new Object();

    private final MeetingTap tap;
    private final ServerCallStreamObserver<MediaEvent> out;
    private final TrackFilter filter;
    private final Executor sender;
    private final int maxQueuedFrames;
    private final int maxQueuedEvents;
    private final String name;
    private final Runnable onClose;

    private final ArrayDeque<Object> queue = new ArrayDeque<>(); // MediaEvent, a replayed PcmFrame, or COMPLETE
    private final Map<String, PendingGap> gaps = new LinkedHashMap<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** Live frames queued (the bounded ones). */
    private volatile int queuedFrames;
    /** Replayed frames still queued (as PcmFrames, ahead of every live frame). */
    private volatile int replayFrames;
    private boolean closed;
    private long framesSent;
    /** Every message taken by the client (the sender thread writes it; the stall watch reads it). */
    private volatile long messagesSent;
    private long framesDropped;
    private final long stallTimeoutNanos;
    /** Stall watch (under this lock): what had been sent when progress was last seen, and when. */
    private long messagesSentSeen;
    private long progressSeenAtNanos = System.nanoTime();

    SubscriberStream(MeetingTap tap, ServerCallStreamObserver<MediaEvent> out, TrackFilter filter, Executor sender,
                     int maxQueuedFrames, int maxQueuedEvents, Duration stallTimeout, String name, Runnable onClose) {
        this.stallTimeoutNanos = stallTimeout.toNanos();
        this.tap = tap;
        this.out = out;
        this.filter = filter;
        this.sender = sender;
        this.maxQueuedFrames = maxQueuedFrames;
        this.maxQueuedEvents = maxQueuedEvents;
        this.name = name;
        this.onClose = onClose;
        out.setOnReadyHandler(this::scheduleDrain);
        out.setOnCancelHandler(() -> {
            LOG.debug("subscriber {} of {} cancelled after {} frames ({} dropped)", name, tap.meetingId(), framesSent, framesDropped);
            close();
        });
    }

    @Override
    public int backlogPercent() {
        // Live frames only: a long replay going out slowly would otherwise look like a stuck
        // reader to a FAST ingest (which then stops waiting for anyone).
        return Math.min(100, queuedFrames * 100 / maxQueuedFrames);
    }

    @Override
    public void onReplay(TapEvent e) {
        if (!(e instanceof PcmFrame f)) {
            onEvent(e);
            return;
        }
        synchronized (this) {
            if (closed || !filter.accepts(f)) {
                return;
            }
            // The frame itself, shared with the ring; it becomes a message only when sent.
            queue.add(f);
            replayFrames++;
        }
        scheduleDrain();
    }

    @Override
    public void started(TapStart s) {
        Meeting m = tap.meeting();
        SubscriptionStarted.Builder b = SubscriptionStarted.newBuilder()
                .setMeeting(TapProtos.meetingInfo(m))
                .setAudioFormat(TapProtos.PCM_16K_MONO)
                .setEffectiveStart(TapProtos.duration(s.effectiveStart()))
                .setBufferStart(TapProtos.duration(s.bufferStart()))
                .setResumeSatisfied(s.resumeSatisfied());
        s.participants().forEach(p -> b.addParticipants(TapProtos.participant(p)));
        s.tracks().forEach(t -> b.addTracks(TapProtos.track(t)));
        if (s.requestedResumeFrom() != null) {
            b.setRequestedResumeFrom(TapProtos.duration(s.requestedResumeFrom()));
        }
        enqueue(event(s.effectiveStart()).setStarted(b).build(), false);
        if (!s.resumeSatisfied()) {
            enqueue(event(s.requestedResumeFrom()).setGap(Gap.newBuilder()
                    .setReason(GapReason.GAP_REASON_RESUME_BEFORE_BUFFER)
                    .setMediaStart(TapProtos.duration(s.requestedResumeFrom()))
                    .setMediaEnd(TapProtos.duration(s.bufferStart()))).build(), false);
        }
        scheduleDrain();
    }

    @Override
    public void onEvent(TapEvent e) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (e instanceof PcmFrame f) {
                if (filter.accepts(f)) {
                    offerFrame(f);
                }
            } else if (e instanceof TapEvent.Heartbeat h) {
                if (stalled()) {
                    return;
                }
                // Heartbeats only matter to a client that keeps up; a backlog already proves liveness.
                if (queuedFrames < maxQueuedFrames / 2) {
                    enqueue(event(h.mediaTime()).setHeartbeat(Heartbeat.newBuilder()
                            .setMediaTime(TapProtos.duration(h.mediaTime()))
                            .setBufferStart(TapProtos.duration(h.bufferStart()))
                            .setServerTime(TapProtos.timestamp(java.time.Instant.now()))).build(), false);
                }
            } else if (e instanceof TapEvent.MeetingEnd end) {
                flushGaps();
                enqueue(event(end.mediaTime()).setMeetingEnded(TapProtos.meetingEnded(tap.meeting(), end.reason())).build(), false);
                queue.add(COMPLETE);
            } else {
                MediaEvent me = control(e);
                if (me != null) {
                    // What was dropped is reported before what happened next (e.g. the track ending).
                    flushGaps();
                    enqueue(me, false);
                }
            }
        }
        scheduleDrain();
    }

    private MediaEvent control(TapEvent e) {
        if (e instanceof TapEvent.ParticipantChange p) {
            var b = event(p.mediaTime());
            var proto = TapProtos.participant(p.participant());
            return switch (p.kind()) {
                case JOINED -> b.setParticipantJoined(ParticipantJoined.newBuilder().setParticipant(proto)).build();
                case LEFT -> b.setParticipantLeft(ParticipantLeft.newBuilder().setParticipant(proto)
                        .setReason(TapProtos.leaveReason(p.reason()))).build();
                case UPDATED -> b.setParticipantUpdated(ParticipantUpdated.newBuilder().setParticipant(proto)).build();
            };
        }
        if (e instanceof TapEvent.TrackChange t) {
            var b = event(t.mediaTime());
            var proto = TapProtos.track(t.track());
            return switch (t.kind()) {
                case PUBLISHED -> b.setTrackPublished(TrackPublished.newBuilder().setTrack(proto)).build();
                case UNPUBLISHED -> b.setTrackUnpublished(TrackUnpublished.newBuilder().setTrack(proto)).build();
                case MUTED -> b.setTrackMuted(TrackMuted.newBuilder().setTrack(proto)).build();
                case UNMUTED -> b.setTrackUnmuted(TrackUnmuted.newBuilder().setTrack(proto)).build();
            };
        }
        if (e instanceof TapEvent.MeetingChange c) {
            return event(c.mediaTime()).setMeetingUpdated(TapProtos.meetingInfo(tap.meeting())).build();
        }
        return null;
    }

    private void offerFrame(PcmFrame f) {
        if (queuedFrames >= maxQueuedFrames) {
            framesDropped++;
            gaps.computeIfAbsent(f.trackId(), k -> new PendingGap(f.sequence(), f.mediaTime())).extend(f);
            return;
        }
        PendingGap g = gaps.remove(f.trackId());
        if (g != null) {
            enqueue(g.toEvent(tap.meetingId(), f.trackId()), false);
        }
        enqueue(event(f.mediaTime()).setAudioFrame(TapProtos.audioFrame(f)).build(), true);
    }

    /** Pending gaps go out once there is room, so a client that catches up learns what it missed. */
    private void flushGaps() {
        for (var e : gaps.entrySet()) {
            enqueue(e.getValue().toEvent(tap.meetingId(), e.getKey()), false);
        }
        gaps.clear();
    }

    /**
     * Called at each heartbeat (under this lock): a client with something waiting that has
     * taken nothing for the stall timeout is cancelled, so what waits for it (up to a ring's
     * worth after a resume) is let go.
     */
    private boolean stalled() {
        long now = System.nanoTime();
        long sent = messagesSent;
        if (queue.isEmpty() || sent != messagesSentSeen) {
            messagesSentSeen = sent;
            progressSeenAtNanos = now;
            return false;
        }
        if (now - progressSeenAtNanos < stallTimeoutNanos) {
            return false;
        }
        giveUp("subscriber stopped reading: nothing taken for " + stallTimeoutNanos / 1_000_000_000L
                + " s with " + queue.size() + " messages waiting; subscribe again with resume_from");
        return true;
    }

    /** Cancels the stream with RESOURCE_EXHAUSTED and drops what waits (under this lock). */
    private void giveUp(String why) {
        LOG.warn("subscriber {} of {}: {}; cancelling it", name, tap.meetingId(), why);
        closed = true;
        queue.clear();
        queuedFrames = 0;
        replayFrames = 0;
        sender.execute(() -> {
            try {
                out.onError(Status.RESOURCE_EXHAUSTED.withDescription(why).asRuntimeException());
            } catch (RuntimeException ignored) {
                // already cancelled by the client
            }
        });
        onClose.run();
    }

    private void enqueue(MediaEvent e, boolean frame) {
        if (!frame && queue.size() - queuedFrames - replayFrames >= maxQueuedEvents) {
            giveUp("subscriber reads too slowly: more than " + maxQueuedEvents
                    + " events waiting; read faster or subscribe again with resume_from");
            return;
        }
        queue.add(e);
        if (frame) {
            queuedFrames++;
        }
    }

    private MediaEvent.Builder event(Duration mediaTime) {
        return MediaEvent.newBuilder().setMeetingId(tap.meetingId()).setMediaTime(TapProtos.duration(mediaTime));
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            sender.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (true) {
                Object next;
                synchronized (this) {
                    if (!out.isReady() && !(queue.peek() == COMPLETE)) {
                        break;
                    }
                    next = queue.poll();
                    if (next == null) {
                        if (!gaps.isEmpty() && queuedFrames < maxQueuedFrames) {
                            flushGaps();
                            continue;
                        }
                        break;
                    }
                    if (next instanceof PcmFrame) {
                        replayFrames--;
                    } else if (next instanceof MediaEvent me && me.hasAudioFrame()) {
                        queuedFrames--;
                    }
                }
                if (next == COMPLETE) {
                    synchronized (this) {
                        closed = true;
                    }
                    out.onCompleted();
                    onClose.run();
                    return;
                }
                MediaEvent message = next instanceof PcmFrame f
                        ? event(f.mediaTime()).setAudioFrame(TapProtos.audioFrame(f)).build() : (MediaEvent) next;
                out.onNext(message);
                messagesSent++;
                if (message.hasAudioFrame()) {
                    framesSent++;
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("subscriber {} of {}: send failed: {}", name, tap.meetingId(), e.toString());
            close();
        } finally {
            draining.set(false);
        }
        boolean more;
        synchronized (this) {
            more = !closed && !queue.isEmpty() && out.isReady();
        }
        if (more) {
            scheduleDrain();
        }
    }

    private void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
            queuedFrames = 0;
            replayFrames = 0;
        }
        onClose.run();
    }

    /** Frames of one track dropped for this subscriber, not yet reported. */
    private static final class PendingGap {
        final long firstSequence;
        final Duration start;
        Duration end;
        long count;

        PendingGap(long firstSequence, Duration start) {
            this.firstSequence = firstSequence;
            this.start = start;
            this.end = start;
        }

        void extend(PcmFrame f) {
            count++;
            end = f.mediaEnd();
        }

        MediaEvent toEvent(String meetingId, String trackId) {
            return MediaEvent.newBuilder().setMeetingId(meetingId).setMediaTime(TapProtos.duration(start))
                    .setGap(Gap.newBuilder().setTrackId(trackId).setReason(GapReason.GAP_REASON_SUBSCRIBER_SLOW)
                            .setMediaStart(TapProtos.duration(start)).setMediaEnd(TapProtos.duration(end))
                            .setFirstMissingSequence(firstSequence).setMissingFrames(count))
                    .build();
        }
    }
}
