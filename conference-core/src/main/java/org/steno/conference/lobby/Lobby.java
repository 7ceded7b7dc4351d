package org.steno.conference.lobby;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who waits at each live meeting's door, and who was let in. A person who must wait
 * {@link #ask asks} to enter and asks again every few seconds (the waiting page polls) until a
 * host admits or denies them, or the request times out. Whether someone must wait at all is
 * decided by the caller from the meeting's access level; the lobby adds what only the live
 * meeting knows: it may be {@link #lock locked} (everyone new waits), and someone a host
 * {@link #removed removed} waits again, however they come back.
 *
 * <p>People are recognised by a browser key (an HttpOnly cookie the server sets) and, when
 * signed in, by their account: a removed account waits from any browser.
 */
public final class Lobby {

    /** Most requests waiting at one meeting's door; past it new ones are refused (a flood, not people). */
    public static final int MAX_WAITING = 200;
    /** A waiting page asks again every 2 s; one silent for this long was closed. */
    static final Duration ABANDONED_AFTER = Duration.ofSeconds(30);
    /** A decision or time-out is kept this long for the waiting page to read it. */
    static final Duration OUTCOME_KEPT = Duration.ofMinutes(2);

    public enum Outcome { WAITING, ADMITTED, DENIED, TIMED_OUT }

    /** A request as hosts see it. */
    public record Request(String id, String displayName, boolean signedIn, String organisation, Instant since) {

        /** As hosts are sent it (the lobby message and {@code GET …/lobby}). */
        public Map<String, Object> view() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", id);
            o.put("displayName", displayName);
            o.put("signedIn", signedIn);
            if (organisation != null) {
                o.put("organisation", organisation);
            }
            o.put("since", since.toString());
            return o;
        }
    }

    /** What an {@link #ask} returns: the request and where it stands. */
    public record Answer(Outcome outcome, Request request, Duration timeout) {
    }

    /** Told whenever the list of waiting requests of a meeting changes. */
    @FunctionalInterface
    public interface Listener {
        void waitingChanged(String meetingId, List<Request> waiting);
    }

    private static final class Entry {
        final Request request;
        final String accountId;
        Outcome outcome = Outcome.WAITING;
        Instant lastAsked;
        Instant decidedAt;

        Entry(Request request, String accountId, Instant now) {
            this.request = request;
            this.accountId = accountId;
            this.lastAsked = now;
        }
    }

    /** One meeting's door. */
    private static final class Door {
        boolean locked;
        /** Browser key → request. */
        final Map<String, Entry> byKey = new LinkedHashMap<>();
        final Set<String> enteredKeys = new HashSet<>();
        final Set<String> enteredAccounts = new HashSet<>();
        final Set<String> removedKeys = new HashSet<>();
        final Set<String> removedAccounts = new HashSet<>();
        /** Participant identity (from the join token) → who it was: what {@link #removed} bans. */
        final Map<String, String[]> identities = new HashMap<>();
    }

    private final Clock clock;
    private final Duration timeout;
    private final Listener listener;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Door> doors = new ConcurrentHashMap<>();

    /** @param timeout how long a request waits for a host's answer */
    public Lobby(Clock clock, Duration timeout, Listener listener) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the lobby timeout must be positive");
        }
        this.timeout = timeout;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Whether this person must wait even though the access level lets them in, or may enter
     * even though it does not: removed people always wait; someone who already entered this
     * live meeting (a reload, a dropped connection) comes back in unless removed; everyone
     * else waits when the meeting is locked or {@code byAccessLevel} says so.
     */
    public synchronized boolean mustWait(String meetingId, String key, String accountId, boolean byAccessLevel) {
        Door d = doors.get(meetingId);
        if (d == null) {
            return byAccessLevel;
        }
        if (d.removedKeys.contains(key) || (accountId != null && d.removedAccounts.contains(accountId))) {
            return true;
        }
        if (d.enteredKeys.contains(key) || (accountId != null && d.enteredAccounts.contains(accountId))) {
            return false;
        }
        return byAccessLevel || d.locked;
    }

    /**
     * Asks to enter, or asks again. A decision is returned once and forgotten, so asking after a
     * denial or a time-out is a new request the hosts see again.
     *
     * @throws LobbyFullException when {@link #MAX_WAITING} requests already wait
     */
    public Answer ask(String meetingId, String key, String displayName, String accountId, String organisation) {
        Objects.requireNonNull(key, "key");
        Answer answer;
        boolean changed = false;
        synchronized (this) {
            Instant now = clock.instant();
            Door d = doors.computeIfAbsent(meetingId, k -> new Door());
            changed |= expire(d, now);
            Entry e = d.byKey.get(key);
            if (e != null && e.outcome != Outcome.WAITING) {
                d.byKey.remove(key);
                return new Answer(e.outcome, e.request, timeout);
            }
            if (e == null) {
                long waiting = d.byKey.values().stream().filter(x -> x.outcome == Outcome.WAITING).count();
                if (waiting >= MAX_WAITING) {
                    throw new LobbyFullException("the lobby of meeting " + meetingId + " is full (" + MAX_WAITING
                            + " requests wait); try again later");
                }
                e = new Entry(new Request(newId(), displayName, accountId != null, organisation, now), accountId, now);
                d.byKey.put(key, e);
                changed = true;
            }
            e.lastAsked = now;
            answer = new Answer(Outcome.WAITING, e.request, timeout);
        }
        if (changed) {
            notifyWaiting(meetingId);
        }
        return answer;
    }

    /** A host's decision on one request; false when it is no longer waiting. */
    public boolean decide(String meetingId, String requestId, boolean admit) {
        boolean done = false;
        synchronized (this) {
            Door d = doors.get(meetingId);
            if (d != null) {
                for (Map.Entry<String, Entry> me : d.byKey.entrySet()) {
                    Entry e = me.getValue();
                    if (e.request.id().equals(requestId) && e.outcome == Outcome.WAITING) {
                        decided(d, me.getKey(), e, admit);
                        done = true;
                    }
                }
            }
        }
        if (done) {
            notifyWaiting(meetingId);
        }
        return done;
    }

    /** Admits (or denies) everyone waiting; returns how many. */
    public int decideAll(String meetingId, boolean admit) {
        int n = 0;
        synchronized (this) {
            Door d = doors.get(meetingId);
            if (d != null) {
                for (Map.Entry<String, Entry> me : d.byKey.entrySet()) {
                    if (me.getValue().outcome == Outcome.WAITING) {
                        decided(d, me.getKey(), me.getValue(), admit);
                        n++;
                    }
                }
            }
        }
        if (n > 0) {
            notifyWaiting(meetingId);
        }
        return n;
    }

    private void decided(Door d, String key, Entry e, boolean admit) {
        e.outcome = admit ? Outcome.ADMITTED : Outcome.DENIED;
        e.decidedAt = clock.instant();
        if (admit) { // a host let them in: a removal is over
            d.removedKeys.remove(key);
            if (e.accountId != null) {
                d.removedAccounts.remove(e.accountId);
                for (String[] who : d.identities.values()) { // and from the browser they were removed on
                    if (e.accountId.equals(who[1])) {
                        d.removedKeys.remove(who[0]);
                    }
                }
            }
        }
    }

    /** Requests waiting now, oldest first. */
    public synchronized List<Request> waiting(String meetingId) {
        Door d = doors.get(meetingId);
        if (d == null) {
            return List.of();
        }
        List<Request> out = new ArrayList<>();
        for (Entry e : d.byKey.values()) {
            if (e.outcome == Outcome.WAITING) {
                out.add(e.request);
            }
        }
        return out;
    }

    /** Someone got a join token: they entered, under {@code identity}, and come back without waiting. */
    public synchronized void entered(String meetingId, String identity, String key, String accountId) {
        Door d = doors.computeIfAbsent(meetingId, k -> new Door());
        d.enteredKeys.add(key);
        if (accountId != null) {
            d.enteredAccounts.add(accountId);
        }
        d.identities.put(identity, new String[] {key, accountId});
    }

    /** The browser key the participant who joined as {@code identity} came with, or null. */
    public synchronized String browserOf(String meetingId, String identity) {
        Door d = doors.get(meetingId);
        String[] who = d == null || identity == null ? null : d.identities.get(identity);
        return who == null ? null : who[0];
    }

    /** A host removed the participant who joined as {@code identity}: from now on they wait. */
    public synchronized void removed(String meetingId, String identity) {
        Door d = doors.get(meetingId);
        String[] who = d == null ? null : d.identities.get(identity);
        if (who == null) {
            return;
        }
        d.enteredKeys.remove(who[0]);
        d.removedKeys.add(who[0]);
        if (who[1] != null) {
            d.enteredAccounts.remove(who[1]);
            d.removedAccounts.add(who[1]);
        }
    }

    public synchronized void lock(String meetingId, boolean locked) {
        doors.computeIfAbsent(meetingId, k -> new Door()).locked = locked;
    }

    public synchronized boolean locked(String meetingId) {
        Door d = doors.get(meetingId);
        return d != null && d.locked;
    }

    /** The meeting ended: its door is forgotten (a later session of the same meeting starts unlocked). */
    public void meetingEnded(String meetingId) {
        Door d;
        synchronized (this) {
            d = doors.remove(meetingId);
        }
        if (d != null && !d.byKey.isEmpty()) {
            listener.waitingChanged(meetingId, List.of());
        }
    }

    /** Times out requests that waited too long and forgets abandoned ones; run every few seconds. */
    public void sweep() {
        List<String> changed = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (Map.Entry<String, Door> me : doors.entrySet()) {
                if (expire(me.getValue(), now)) {
                    changed.add(me.getKey());
                }
            }
        }
        changed.forEach(this::notifyWaiting);
    }

    /** @return whether the waiting list changed */
    private boolean expire(Door d, Instant now) {
        boolean changed = false;
        for (Iterator<Entry> it = d.byKey.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.outcome == Outcome.WAITING) {
                if (now.isAfter(e.lastAsked.plus(ABANDONED_AFTER))) {
                    it.remove();
                    changed = true;
                } else if (!now.isBefore(e.request.since().plus(timeout))) {
                    e.outcome = Outcome.TIMED_OUT;
                    e.decidedAt = now;
                    changed = true;
                }
            } else if (now.isAfter(e.decidedAt.plus(OUTCOME_KEPT))) {
                it.remove();
            }
        }
        return changed;
    }

    private void notifyWaiting(String meetingId) {
        listener.waitingChanged(meetingId, waiting(meetingId));
    }

    private String newId() {
        byte[] b = new byte[9];
        random.nextBytes(b);
        return "r" + HexFormat.of().formatHex(b);
    }
}
