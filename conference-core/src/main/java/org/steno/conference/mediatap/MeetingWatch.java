package org.steno.conference.mediatap;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.steno.conference.meeting.EndReason;
import org.steno.conference.meeting.LeaveReason;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingListener;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.meeting.Participant;
import org.steno.proto.media.v1.MeetingEvent;
import org.steno.proto.media.v1.MeetingSnapshot;

/**
 * One WatchMeetings stream: the snapshot, then started/updated/ended events, sent as fast as
 * the client reads into a bounded buffer; a client that lets it overflow is cancelled with
 * RESOURCE_EXHAUSTED rather than holding memory.
 */
final class MeetingWatch implements MeetingListener {

    private final MeetingRegistry registry;
    private final ServerCallStreamObserver<MeetingEvent> out;
    private final Executor sender;
    private final int maxQueued;
    private final Runnable onClose;
    private final ArrayDeque<MeetingEvent> queue = new ArrayDeque<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Set<String> inSnapshot; // null until the snapshot is queued; guards against duplicate "started"
    private final ArrayDeque<MeetingEvent> early = new ArrayDeque<>();

    MeetingWatch(MeetingRegistry registry, ServerCallStreamObserver<MeetingEvent> out, Executor sender, int maxQueued,
                 Runnable onClose) {
        this.registry = registry;
        this.out = out;
        this.sender = sender;
        this.maxQueued = maxQueued;
        this.onClose = onClose;
        out.setOnReadyHandler(this::scheduleDrain);
        out.setOnCancelHandler(this::close);
    }

    void start() {
        registry.addListener(this);
        MeetingSnapshot.Builder snap = MeetingSnapshot.newBuilder();
        Set<String> ids = new HashSet<>();
        for (Meeting m : registry.list()) {
            snap.addMeetings(TapProtos.meetingInfo(m));
            ids.add(m.id());
        }
        synchronized (this) {
            queue.add(event().setSnapshot(snap).build());
            inSnapshot = ids;
            // Events that raced with the snapshot: a "started" for a meeting already in it is dropped.
            for (MeetingEvent e : early) {
                if (!(e.hasStarted() && ids.contains(e.getStarted().getMeetingId()))) {
                    queue.add(e);
                }
            }
            early.clear();
        }
        scheduleDrain();
    }

    private MeetingEvent.Builder event() {
        return MeetingEvent.newBuilder().setEventTime(TapProtos.timestamp(Instant.now()));
    }

    private void offer(MeetingEvent e) {
        if (closed.get()) {
            return;
        }
        synchronized (this) {
            if (inSnapshot == null) {
                early.add(e);
                return;
            }
            if (queue.size() >= maxQueued) {
                closed.set(true);
                queue.clear();
                registry.removeListener(this);
                sender.execute(() -> {
                    try {
                        out.onError(Status.RESOURCE_EXHAUSTED.withDescription("watcher reads too slowly: "
                                + maxQueued + " meeting events waiting; watch again").asRuntimeException());
                    } catch (RuntimeException ignored) {
                        // cancelled meanwhile
                    }
                });
                onClose.run();
                return;
            }
            queue.add(e);
        }
        scheduleDrain();
    }

    @Override
    public void meetingStarted(Meeting meeting) {
        offer(event().setStarted(TapProtos.meetingInfo(meeting)).build());
    }

    @Override
    public void meetingUpdated(Meeting meeting) {
        offer(event().setUpdated(TapProtos.meetingInfo(meeting)).build());
    }

    @Override
    public void participantJoined(Meeting meeting, Participant participant) {
        meetingUpdated(meeting);
    }

    @Override
    public void participantLeft(Meeting meeting, Participant participant, LeaveReason reason) {
        if (!meeting.ended()) {
            meetingUpdated(meeting);
        }
    }

    @Override
    public void meetingEnded(Meeting meeting, EndReason reason) {
        offer(event().setEnded(TapProtos.meetingEnded(meeting, reason)).build());
    }

    private void scheduleDrain() {
        if (!closed.get() && draining.compareAndSet(false, true)) {
            sender.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (!closed.get() && out.isReady()) {
                MeetingEvent e;
                synchronized (this) {
                    e = queue.poll();
                }
                if (e == null) {
                    break;
                }
                out.onNext(e);
            }
        } catch (RuntimeException e) {
            close();
        } finally {
            draining.set(false);
        }
        boolean more;
        synchronized (this) {
            more = !queue.isEmpty();
        }
        if (more && out.isReady()) {
            scheduleDrain();
        }
    }

    private void close() {
        if (closed.compareAndSet(false, true)) {
            registry.removeListener(this);
            synchronized (this) {
                queue.clear();
            }
            onClose.run();
        }
    }
}
