package org.steno.subtitles.fanout;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
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
 * first. Each viewer has its own bounded {@link ViewerQueue}.
 */
public final class CaptionFanout {

    /** Segments whose latest version a late joiner receives. */
    public static final int LAST_LINES = 4;
    /** Revisions remembered per meeting for de-duplication. */
    static final int REMEMBERED_SEGMENTS = 4096;

    private final int queueCapacity;
    private final int hardLimit;
    private final Map<String, MeetingCaptions> meetings = new ConcurrentHashMap<>();
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
        MeetingCaptions m = meetings.computeIfAbsent(meetingId, k -> new MeetingCaptions());
        ViewerQueue q = new ViewerQueue(viewer, queueCapacity, hardLimit);
        synchronized (m) {
            for (CaptionEvent e : m.lastLines.values()) {
                q.offer(item(e));
            }
            m.viewers.add(q);
        }
        return () -> {
            q.close();
            m.viewers.remove(q);
        };
    }

    /** Forwards an event to the meeting's viewers unless it is a duplicate or a stale revision. */
    public Outcome publish(CaptionEvent e) {
        MeetingCaptions m = meetings.computeIfAbsent(e.getMeetingId(), k -> new MeetingCaptions());
        synchronized (m) {
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
        }
        return Outcome.ACCEPTED;
    }

    /** Tells the meeting's viewers that captions were turned on or off; returns how many were told. */
    public int control(CaptionControl c) {
        MeetingCaptions m = meetings.computeIfAbsent(c.getMeetingId(), k -> new MeetingCaptions());
        String text;
        try {
            text = controlJson.print(c);
        } catch (InvalidProtocolBufferException ex) {
            throw new IllegalStateException(ex);
        }
        List<ViewerQueue> targets;
        synchronized (m) {
            if (!c.getEnabled()) {
                m.lastLines.clear();
            }
            targets = new ArrayList<>(m.viewers);
            targets.forEach(q -> q.offer(new ViewerQueue.Item(null, false, text)));
        }
        if (!c.getEnabled() && targets.isEmpty()) {
            meetings.remove(c.getMeetingId(), m);
        }
        return targets.size();
    }

    /** Viewers currently subscribed to a meeting. */
    public int viewers(String meetingId) {
        MeetingCaptions m = meetings.get(meetingId);
        return m == null ? 0 : m.viewers.size();
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
    }
}
