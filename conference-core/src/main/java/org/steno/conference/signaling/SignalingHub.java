package org.steno.conference.signaling;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.steno.conference.api.JoinTokens;
import org.steno.conference.lobby.Lobby;
import org.steno.conference.meeting.EndReason;
import org.steno.conference.meeting.LeaveReason;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingListener;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.meeting.Participant;
import org.steno.conference.meeting.Track;

/**
 * The signaling side of every meeting on this node: creates a {@link SignalingSession} per
 * connection and relays the registry's events (joins, leaves, tracks, mute, dominant
 * speaker) to the sessions of that meeting.
 */
public final class SignalingHub implements MeetingListener {

    /** Largest message accepted from a browser (an SDP offer with many m-lines fits). */
    public static final int MAX_MESSAGE = 64 * 1024;

    private final MeetingRegistry registry;
    private final JoinTokens tokens;
    private volatile MediaGateway media;
    private final Map<String, Set<SignalingSession>> byMeeting = new ConcurrentHashMap<>();
    private final Map<String, String> dominant = new ConcurrentHashMap<>();
    private volatile Lobby lobby;
    private final org.steno.conference.chat.ChatLog chat = new org.steno.conference.chat.ChatLog(java.time.Clock.systemUTC());
    /** Meeting → participants whose hand is up, in the order they raised it. */
    private final Map<String, Set<String>> hands = new ConcurrentHashMap<>();

    public SignalingHub(MeetingRegistry registry, JoinTokens tokens, MediaGateway media) {
        this.registry = registry;
        this.tokens = tokens;
        this.media = media;
        registry.addListener(this);
    }

    /** Swaps the media plane (the SFU starts after the hub is built). */
    public void setMedia(MediaGateway media) {
        this.media = media;
    }

    /** The lobby whose waiting requests hosts see live; set once the meetings API is built. */
    public void setLobby(Lobby lobby) {
        this.lobby = lobby;
    }

    Lobby lobby() {
        return lobby;
    }

    /** Every live meeting's chat; the server stores a meeting's when it ends. */
    public org.steno.conference.chat.ChatLog chat() {
        return chat;
    }

    /** Raises or lowers a participant's hand (their own, or a host lowering it); everyone is told. */
    public void setHand(String meetingId, String participantId, boolean raised) {
        Set<String> up = hands.computeIfAbsent(meetingId, k -> java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>()));
        boolean changed = raised ? up.add(participantId) : up.remove(participantId);
        if (changed) {
            var n = Messages.of("hand");
            n.put("participantId", participantId);
            n.put("raised", raised);
            broadcast(meetingId, null, n.toString());
        }
    }

    List<String> handsRaised(String meetingId) {
        Set<String> up = hands.get(meetingId);
        if (up == null) {
            return List.of();
        }
        synchronized (up) {
            return List.copyOf(up);
        }
    }

    MediaGateway media() {
        return media;
    }

    MeetingRegistry registry() {
        return registry;
    }

    JoinTokens tokens() {
        return tokens;
    }

    /**
     * A new connection to {@code /ws/meetings/<meetingId>}. The join token comes in its first
     * {@code join} message, never in the URL, where proxies and access logs would keep it.
     */
    public SignalingSession open(String meetingId, SignalingSender sender) {
        return new SignalingSession(this, meetingId, sender);
    }

    void register(String meetingId, SignalingSession s) {
        byMeeting.computeIfAbsent(meetingId, k -> ConcurrentHashMap.newKeySet()).add(s);
    }

    void unregister(String meetingId, SignalingSession s) {
        Set<SignalingSession> set = byMeeting.get(meetingId);
        if (set != null) {
            set.remove(s);
        }
    }

    /** Connected sessions of a meeting (tests and metrics). */
    public int sessions(String meetingId) {
        Set<SignalingSession> set = byMeeting.get(meetingId);
        return set == null ? 0 : set.size();
    }

    /** The session of a participant, or null (tests). */
    SignalingSession sessionOf(String meetingId, String participantId) {
        Set<SignalingSession> set = byMeeting.get(meetingId);
        if (set == null) {
            return null;
        }
        return set.stream().filter(s -> participantId.equals(s.participantId())).findFirst().orElse(null);
    }

    String dominantSpeaker(String meetingId) {
        return dominant.get(meetingId);
    }

    /** The media plane's dominant speaker changed (null: everyone silent). */
    public void dominantSpeaker(String meetingId, String participantId) {
        if (participantId == null) {
            dominant.remove(meetingId);
        } else {
            dominant.put(meetingId, participantId);
        }
        var n = Messages.of("dominant-speaker");
        n.put("participantId", participantId);
        broadcast(meetingId, null, n.toString());
    }

    /**
     * A sentence every participant of the meeting must read (e.g. "the recording stopped: the
     * disk is full"); the room page shows it in its message area.
     */
    public void notice(String meetingId, String code, String text) {
        var n = Messages.of("notice");
        n.put("code", code);
        n.put("message", text);
        broadcast(meetingId, null, n.toString());
    }

    /** The meeting's waiting list changed: every host in it sees the new one. */
    public void lobbyChanged(String meetingId, List<Lobby.Request> waiting) {
        String json = Messages.lobby(waiting);
        Set<SignalingSession> set = byMeeting.get(meetingId);
        if (set != null) {
            for (SignalingSession s : set) {
                if (s.isHost()) {
                    s.send(json);
                }
            }
        }
    }

    /** The waiting list, for a host who just joined or was just promoted. */
    void sendLobby(SignalingSession host) {
        Lobby l = lobby;
        if (l != null) {
            List<Lobby.Request> waiting = l.waiting(host.meetingId());
            if (!waiting.isEmpty()) {
                host.send(Messages.lobby(waiting));
            }
        }
    }

    /**
     * {@code newer} just joined: an older connection of the same browser in this meeting (another
     * tab, or the page before it reconnected, not yet noticed gone) leaves, so nobody is there twice.
     */
    void replaceOlder(String meetingId, SignalingSession newer) {
        Lobby l = lobby;
        Set<SignalingSession> set = byMeeting.get(meetingId);
        String browser = l == null ? null : l.browserOf(meetingId, newer.identity());
        if (browser == null || set == null) {
            return;
        }
        for (SignalingSession s : set) {
            if (s != newer && browser.equals(l.browserOf(meetingId, s.identity()))) {
                s.replaced();
            }
        }
    }

    /** Sends one message to everyone in the meeting. */
    void broadcast(String meetingId, String json) {
        broadcast(meetingId, null, json);
    }

    private void broadcast(String meetingId, String exceptParticipant, String json) {
        Set<SignalingSession> set = byMeeting.get(meetingId);
        if (set == null) {
            return;
        }
        for (SignalingSession s : set) {
            if (exceptParticipant == null || !exceptParticipant.equals(s.participantId())) {
                s.send(json);
            }
        }
    }

    @Override
    public void participantJoined(Meeting meeting, Participant p) {
        broadcast(meeting.id(), p.id(), Messages.participantJoined(p));
    }

    @Override
    public void participantUpdated(Meeting meeting, Participant p) {
        var n = Messages.of("participant-updated");
        n.set("participant", Messages.participant(p));
        broadcast(meeting.id(), null, n.toString());
    }

    @Override
    public void participantLeft(Meeting meeting, Participant p, LeaveReason reason) {
        Set<String> up = hands.get(meeting.id());
        if (up != null) {
            up.remove(p.id());
        }
        broadcast(meeting.id(), p.id(), Messages.participantLeft(p, reason));
    }

    @Override
    public void trackPublished(Meeting meeting, Track t) {
        broadcast(meeting.id(), null, Messages.trackEvent("track-published", t));
    }

    @Override
    public void trackUnpublished(Meeting meeting, Track t) {
        broadcast(meeting.id(), null, Messages.trackEvent("track-unpublished", t));
    }

    @Override
    public void trackMuted(Meeting meeting, Track t) {
        broadcast(meeting.id(), null, Messages.trackEvent("track-muted", t));
    }

    @Override
    public void meetingUpdated(Meeting meeting) {
        var n = Messages.of("meeting-updated");
        n.put("title", meeting.title());
        n.put("captionsEnabled", meeting.captionsEnabled());
        n.put("recording", meeting.recording());
        broadcast(meeting.id(), null, n.toString());
    }

    @Override
    public void meetingEnded(Meeting meeting, EndReason reason) {
        Set<SignalingSession> set = byMeeting.remove(meeting.id());
        dominant.remove(meeting.id());
        hands.remove(meeting.id());
        if (set != null) {
            var n = Messages.of("meeting-ended");
            n.put("reason", Messages.lower(reason.name()));
            for (SignalingSession s : set) {
                s.meetingEnded(n.toString());
            }
        }
    }
}
