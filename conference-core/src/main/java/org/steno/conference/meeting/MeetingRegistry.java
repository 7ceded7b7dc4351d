package org.steno.conference.meeting;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The meetings active on this node: the one registry the SFU, signaling, the taps,
 * MediaTap and MediaIngest share. Bounded by {@link MeetingLimits}; an empty meeting ends
 * after {@link MeetingLimits#emptyTimeout()} when {@link #endIdleMeetings()} runs.
 */
public final class MeetingRegistry {

    private final ConcurrentHashMap<String, Meeting> meetings = new ConcurrentHashMap<>();
    private final Listeners listeners = new Listeners();
    private final MeetingLimits limits;
    private final Clock wallClock;
    private final LongSupplier nanoTime;

    public MeetingRegistry() {
        this(MeetingLimits.defaults(), Clock.systemUTC(), System::nanoTime);
    }

    public MeetingRegistry(MeetingLimits limits) {
        this(limits, Clock.systemUTC(), System::nanoTime);
    }

    /** @param nanoTime the monotonic clock of media time (tests pass a fake one) */
    public MeetingRegistry(MeetingLimits limits, Clock wallClock, LongSupplier nanoTime) {
        this.limits = limits;
        this.wallClock = wallClock;
        this.nanoTime = nanoTime;
    }

    public MeetingLimits limits() {
        return limits;
    }

    public void addListener(MeetingListener l) {
        listeners.add(l);
    }

    public void removeListener(MeetingListener l) {
        listeners.remove(l);
    }

    /** Creates and starts a meeting; {@link MeetingLimitException} when the node is full. */
    public Meeting create(String title) {
        String t = title == null ? "" : title.strip();
        if (t.length() > 200) {
            throw new IllegalArgumentException("title has " + t.length() + " characters; at most 200 are allowed");
        }
        synchronized (meetings) {
            if (meetings.size() >= limits.maxMeetings()) {
                throw new MeetingLimitException("this node already runs " + limits.maxMeetings() + " meetings; try again later");
            }
            Meeting m;
            do {
                m = new Meeting(MeetingIds.next(), t, wallClock.instant(), nanoTime, limits, listeners);
            } while (meetings.putIfAbsent(m.id(), m) != null);
            Meeting started = m;
            synchronized (started) {
                listeners.fire(l -> l.meetingStarted(started));
            }
            return started;
        }
    }

    /**
     * The active meeting {@code id}, started again under the same id when it is not active: a
     * meeting the platform still knows (its link was shared, its owner is on record) but that
     * ended when it emptied or the server restarted. {@link MeetingLimitException} when full.
     */
    public Meeting reopen(String id, String title) {
        if (!MeetingIds.isWellFormed(id)) {
            throw new IllegalArgumentException("not a meeting id: " + id);
        }
        synchronized (meetings) {
            Meeting existing = meetings.get(id);
            if (existing != null) {
                return existing;
            }
            if (meetings.size() >= limits.maxMeetings()) {
                throw new MeetingLimitException("this node already runs " + limits.maxMeetings() + " meetings; try again later");
            }
            Meeting m = new Meeting(id, title == null ? "" : title.strip(), wallClock.instant(), nanoTime, limits, listeners);
            meetings.put(id, m);
            synchronized (m) {
                listeners.fire(l -> l.meetingStarted(m));
            }
            return m;
        }
    }

    public Optional<Meeting> get(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(meetings.get(id));
    }

    /** The meeting, or {@link MeetingNotActiveException} naming it. */
    public Meeting require(String id) {
        return get(id).orElseThrow(() -> new MeetingNotActiveException("no active meeting " + id));
    }

    /** Active meetings ordered by start time, then id. */
    public List<Meeting> list() {
        return meetings.values().stream()
                .sorted(Comparator.comparing(Meeting::createdAt).thenComparing(Meeting::id))
                .toList();
    }

    public int size() {
        return meetings.size();
    }

    /** Ends a meeting for everyone; false when it was not active. */
    public boolean end(String id, EndReason reason) {
        Meeting m = meetings.get(id);
        if (m == null) {
            return false;
        }
        boolean ended = m.end(reason);
        meetings.remove(id, m);
        return ended;
    }

    /** Ends every meeting that has been empty longer than the limit; returns how many. */
    public int endIdleMeetings() {
        long now = nanoTime.getAsLong();
        int n = 0;
        for (Meeting m : List.copyOf(meetings.values())) {
            if (m.emptyLongerThan(limits.emptyTimeout(), now) && end(m.id(), EndReason.EMPTY_TIMEOUT)) {
                n++;
            }
        }
        return n;
    }

    /** Ends everything (process shutdown). */
    public void endAll(EndReason reason) {
        for (String id : List.copyOf(meetings.keySet())) {
            end(id, reason);
        }
    }

    public Duration emptyTimeout() {
        return limits.emptyTimeout();
    }
}
