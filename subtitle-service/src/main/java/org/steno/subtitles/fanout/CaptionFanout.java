package org.steno.subtitles.fanout;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.JsonFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.steno.proto.captions.v1.CaptionControl;
import org.steno.proto.captions.v1.CaptionEvent;
import org.steno.proto.captions.v1.CaptionKind;

/**
 * Delivers each meeting's caption events to the viewers of that meeting, independent of the
 * transport (the server adapts it to WebSockets). Per meeting it remembers the highest
 * revision of recent segments (to drop duplicates and stale revisions from a replaying
 * pipeline) and the latest version of the last few segments, which a late joiner receives
 * first. Each viewer has its own bounded {@link ViewerQueue}. After captions are turned off,
 * captions of speech before the "off" are not shown, and a meeting nobody watches with nothing
 * to keep is forgotten.
 */
public final class CaptionFanout {

    /** Segments whose latest version a late joiner receives. */
    public static final int LAST_LINES = 4;
    /** Revisions remembered per meeting for de-duplication. */
    static final int REMEMBERED_SEGMENTS = 4096;
    /** Meetings whose "off" is remembered (to hold back their late captions). */
    static final int REMEMBERED_OFF = 4096;

    private final int queueCapacity;
    private final int hardLimit;
    private final Map<String, MeetingCaptions> meetings = new ConcurrentHashMap<>();
    /** Meetings whose captions were turned off, with the media time of the "off"; the most recent only. */
    private final Map<String, Long> turnedOff = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > REMEMBERED_OFF;
                }
            });
    private final JsonFormat.Printer json = JsonFormat.printer().omittingInsignificantWhitespace();
    /** Controls keep {@code "enabled": false}: a viewer must be able to tell "off" from an empty message. */
    private final JsonFormat.Printer controlJson = json.alwaysPrintFieldsWithNoPresence();

    public CaptionFanout() {
        this(32, 256);
    }

    /**
     * @param queueCapacity messages a viewer may have queued before interims are dropped
     * @param hardLimit     queued messages (finals) at which a viewer is disconnected
     */
    public CaptionFanout(int queueCapacity, int hardLimit) {
        this.queueCapacity = queueCapacity;
        this.hardLimit = hardLimit;
    }

    /** A viewer's registration; closing it stops delivery. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Registers a viewer; it first receives the meeting's last lines. */
    public Subscription subscribe(String meetingId, CaptionViewer viewer) {
        ViewerQueue q = new ViewerQueue(viewer, queueCapacity, hardLimit);
        for (;;) {
            MeetingCaptions m = meetings.computeIfAbsent(meetingId, k -> new MeetingCaptions());
            synchronized (m) {
                if (m.retired) {
                    continue; // retired between the lookup and the lock: take the new one
                }
                for (CaptionEvent e : m.lastLines.values()) {
                    q.offer(item(e));
                }
                m.viewers.add(q);
            }
            return () -> {
                q.close();
                synchronized (m) {
                    m.viewers.remove(q);
                    retireIfIdle(meetingId, m);
                }
            };
        }
    }

    /** Forwards an event to the meeting's viewers unless it is a duplicate or a stale revision. */
    public Outcome publish(CaptionEvent e) {
        Long offAt = turnedOff.get(e.getMeetingId());
        if (offAt != null) {
            if (Durations.toMillis(e.getMediaStart()) < offAt) {
                // The last words of a run often arrive after its "off" (the recogniser finalises
                // them later): showing them would re-open lines the viewers were told are gone.
                return Outcome.AFTER_OFF;
            }
            turnedOff.remove(e.getMeetingId(), offAt); // speech after the stop: captions are on again
        }
        for (;;) {
            MeetingCaptions m = meetings.computeIfAbsent(e.getMeetingId(), k -> new MeetingCaptions());
            synchronized (m) {
                if (m.retired) {
                    continue;
                }
                Integer seen = m.revisions.get(e.getSegmentId());
                if (seen != null && e.getRevision() == seen) {
                    return Outcome.DUPLICATE;
                }
                if (seen != null && e.getRevision() < seen) {
                    return Outcome.STALE;
                }
                m.revisions.put(e.getSegmentId(), e.getRevision());
                m.lastLines.remove(e.getSegmentId());
                if (e.getKind() != CaptionKind.CAPTION_KIND_RETRACTED) {
                    m.lastLines.put(e.getSegmentId(), e);
                    while (m.lastLines.size() > LAST_LINES) {
                        m.lastLines.remove(m.lastLines.keySet().iterator().next());
                    }
                }
                // Offered under the meeting's lock so every viewer sees the meeting's events in one order;
                // offer never blocks (viewers send asynchronously).
                ViewerQueue.Item item = item(e);
                m.viewers.forEach(q -> q.offer(item));
                return Outcome.ACCEPTED;
            }
        }
    }

    /** Tells the meeting's viewers that captions were turned on or off; returns how many were told. */
    public int control(CaptionControl c) {
        String text;
        try {
            text = controlJson.print(c);
        } catch (InvalidProtocolBufferException ex) {
            throw new IllegalStateException(ex);
        }
        if (c.getEnabled()) {
            turnedOff.remove(c.getMeetingId());
        } else {
            turnedOff.put(c.getMeetingId(), Durations.toMillis(c.getMediaTime()));
        }
        MeetingCaptions m = meetings.get(c.getMeetingId());
        if (m == null) {
            return 0; // nobody watches: nothing to tell, nothing to remember but the "off"
        }
        synchronized (m) {
            if (m.retired) {
                return 0;
            }
            if (!c.getEnabled()) {
                m.lastLines.clear();
                m.revisions.clear();
            }
            m.viewers.forEach(q -> q.offer(new ViewerQueue.Item(null, false, text)));
            int told = m.viewers.size();
            retireIfIdle(c.getMeetingId(), m);
            return told;
        }
    }

    /**
     * Forgets a meeting nobody watches and nothing is kept for (no last lines: captions off or
     * never on), so ended meetings cost nothing. Called under the meeting's lock.
     */
    private void retireIfIdle(String meetingId, MeetingCaptions m) {
        if (m.viewers.isEmpty() && m.lastLines.isEmpty()) {
            m.retired = true;
            meetings.remove(meetingId, m);
        }
    }

    /** Viewers currently subscribed to a meeting. */
    public int viewers(String meetingId) {
        MeetingCaptions m = meetings.get(meetingId);
        return m == null ? 0 : m.viewers.size();
    }

    /** Meetings the fan-out keeps anything for (viewers or last lines). */
    int meetingsKept() {
        return meetings.size();
    }

    private ViewerQueue.Item item(CaptionEvent e) {
        try {
            return new ViewerQueue.Item(e.getSegmentId(), e.getKind() == CaptionKind.CAPTION_KIND_INTERIM, json.print(e));
        } catch (InvalidProtocolBufferException ex) {
            throw new IllegalStateException("caption event cannot be printed as JSON", ex);
        }
    }

    /** Per-meeting memory: bounded revisions, the last lines, the viewers. */
    private static final class MeetingCaptions {
        final Map<String, Integer> revisions = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > REMEMBERED_SEGMENTS;
            }
        };
        final LinkedHashMap<String, CaptionEvent> lastLines = new LinkedHashMap<>();
        final List<ViewerQueue> viewers = new CopyOnWriteArrayList<>();
        /** Removed from the map: whoever still holds it must look the meeting up again. */
        boolean retired;
    }
}
