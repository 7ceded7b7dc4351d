package org.steno.conference.signaling;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.api.InvalidTokenException;
import org.steno.conference.api.JoinGrant;
import org.steno.conference.meeting.LeaveReason;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingLimitException;
import org.steno.conference.meeting.MeetingNotActiveException;
import org.steno.conference.meeting.Participant;
import org.steno.conference.meeting.ParticipantKind;
import org.steno.conference.meeting.Track;
import org.steno.conference.meeting.TrackKind;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One browser's signaling connection, independent of the transport. Browser → server:
 * {@code join{token}}, {@code offer{sdp}}, {@code mute{kind,muted}}, {@code leave},
 * {@code ping}, {@code candidate} (ignored: the SFU is ICE-lite). Server → browser:
 * {@code joined}, {@code answer}, {@code renegotiate}, {@code slots},
 * {@code participant-joined/left}, {@code track-published/unpublished/muted},
 * {@code dominant-speaker}, {@code meeting-updated/ended}, {@code pong}, {@code error}.
 * A bad message gets an {@code error} back and the connection stays; a bad or expired token
 * gets an error and the connection is closed (4401).
 */
public final class SignalingSession implements MediaCallbacks {

    /** Close codes (4000–4999 are the application's). */
    public static final int CLOSE_NORMAL = 1000;
    public static final int CLOSE_BAD_TOKEN = 4401;
    public static final int CLOSE_NOT_FOUND = 4404;
    public static final int CLOSE_FULL = 4409;
    public static final int CLOSE_ENDED = 4410;
    public static final int CLOSE_MEDIA_LOST = 4502;

    private static final Logger LOG = LoggerFactory.getLogger(SignalingSession.class);

    private final SignalingHub hub;
    private final String meetingId;
    private final SignalingSender sender;

    private Meeting meeting;
    private Participant participant;
    private MediaSession media;
    private boolean closed;
    private boolean leftCleanly;

    SignalingSession(SignalingHub hub, String meetingId, SignalingSender sender) {
        this.hub = hub;
        this.meetingId = meetingId;
        this.sender = sender;
    }

    /** The participant id once joined, else null. */
    public synchronized String participantId() {
        return participant == null ? null : participant.id();
    }

    public synchronized boolean joined() {
        return participant != null && !closed;
    }

    /** A binary message from the browser: signaling is JSON text only. Never throws. */
    public void onBinary() {
        send(Messages.error("bad-message", "send JSON text messages, not binary"));
    }

    /** One text message from the browser. Never throws. */
    public void onText(String text) {
        try {
            handle(text);
        } catch (RuntimeException e) {
            LOG.warn("signaling message failed in meeting {}", meetingId, e);
            send(Messages.error("internal", "the server could not handle this message; it has been logged"));
        }
    }

    private void handle(String text) {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        if (text == null || text.length() > SignalingHub.MAX_MESSAGE) {
            send(Messages.error("too-large", "messages are limited to " + SignalingHub.MAX_MESSAGE + " characters"));
            return;
        }
        JsonNode msg;
        try {
            msg = Messages.JSON.readTree(text);
        } catch (JacksonException e) {
            send(Messages.error("bad-message", "message is not valid JSON"));
            return;
        }
        if (msg == null || !msg.isObject() || !msg.path("type").isString()) {
            send(Messages.error("bad-message", "messages are JSON objects with a string \"type\""));
            return;
        }
        String type = msg.path("type").asString();
        switch (type) {
            case "join" -> {
                if (!msg.path("token").isString()) {
                    send(Messages.error("bad-message", "join needs a string \"token\""));
                    return;
                }
                join(msg.path("token").asString(), msg.path("sharedMicrophone").asBoolean(false));
            }
            case "offer" -> offer(msg);
            case "mute" -> mute(msg);
            case "leave" -> leave();
            case "ping" -> {
                ObjectNode pong = Messages.of("pong");
                if (msg.has("id")) {
                    pong.set("id", msg.get("id"));
                }
                send(pong.toString());
            }
            case "candidate" -> {
                // ICE-lite: the SFU learns the browser's address from its STUN checks.
            }
            default -> send(Messages.error("unknown-type", "unknown message type '" + abbreviate(type)
                    + "'; known: join, offer, mute, leave, ping, candidate"));
        }
    }

    /** Verifies the token and joins the meeting; {@code sharedMicrophone}: several people speak into its microphone. */
    void join(String token, boolean sharedMicrophone) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (participant != null) {
                send(Messages.error("already-joined", "this connection has already joined"));
                return;
            }
        }
        JoinGrant grant;
        try {
            grant = hub.tokens().verify(token, meetingId);
        } catch (InvalidTokenException e) {
            fail("bad-token", e.getMessage(), CLOSE_BAD_TOKEN);
            return;
        }
        Meeting m = hub.registry().get(meetingId).orElse(null);
        if (m == null) {
            fail("not-found", "meeting " + abbreviate(meetingId) + " is not active", CLOSE_NOT_FOUND);
            return;
        }
        synchronized (m) {
            synchronized (this) {
                try {
                    participant = m.join(grant.identity(), grant.displayName(), grant.role(), ParticipantKind.BROWSER);
                } catch (MeetingLimitException e) {
                    fail("meeting-full", e.getMessage(), CLOSE_FULL);
                    return;
                } catch (MeetingNotActiveException e) {
                    fail("not-found", e.getMessage(), CLOSE_ENDED);
                    return;
                }
                meeting = m;
                hub.register(meetingId, this);
                ObjectNode j = Messages.of("joined");
                j.put("meetingId", m.id());
                j.put("title", m.title());
                j.put("participantId", participant.id());
                j.put("identity", participant.identity());
                j.put("displayName", participant.displayName());
                j.put("role", Messages.lower(participant.role().name()));
                var ps = j.putArray("participants");
                m.participants().forEach(p -> ps.add(Messages.participant(p)));
                var ts = j.putArray("tracks");
                m.tracks().forEach(t -> ts.add(Messages.track(t)));
                j.put("dominantSpeaker", hub.dominantSpeaker(meetingId));
                j.put("captionsEnabled", m.captionsEnabled());
                j.put("recording", m.recording());
                send(j.toString());
            }
        }
        MediaSession ms = hub.media().open(meetingId, participant.id(), sharedMicrophone, this);
        synchronized (this) {
            if (closed) {
                ms.close();
            } else {
                media = ms;
            }
        }
        LOG.info("{} ({}) joined meeting {} as {}", grant.displayName(), grant.identity(), meetingId, participant.id());
    }

    private void offer(JsonNode msg) {
        MediaSession ms;
        synchronized (this) {
            if (!requireJoined()) {
                return;
            }
            ms = media;
        }
        if (!msg.path("sdp").isString() || msg.path("sdp").asString().isBlank()) {
            send(Messages.error("bad-message", "offer needs a non-empty string \"sdp\""));
            return;
        }
        if (ms == null) {
            send(Messages.error("not-ready", "media is not ready yet; send the offer again"));
            return;
        }
        try {
            String answer = ms.answer(msg.path("sdp").asString());
            ObjectNode a = Messages.of("answer");
            a.put("sdp", answer);
            send(a.toString());
        } catch (OfferRejectedException e) {
            send(Messages.error("bad-sdp", e.getMessage()));
        }
    }

    private void mute(JsonNode msg) {
        Meeting m;
        String pid;
        synchronized (this) {
            if (!requireJoined()) {
                return;
            }
            m = meeting;
            pid = participant.id();
        }
        String kind = msg.path("kind").asString("");
        if (!(kind.equals("audio") || kind.equals("video")) || !msg.path("muted").isBoolean()) {
            send(Messages.error("bad-message", "mute needs \"kind\": \"audio\"|\"video\" and a boolean \"muted\""));
            return;
        }
        TrackKind k = kind.equals("audio") ? TrackKind.AUDIO : TrackKind.VIDEO;
        boolean muted = msg.path("muted").asBoolean();
        for (Track t : m.tracks()) {
            if (t.participantId().equals(pid) && t.kind() == k) {
                try {
                    m.setMuted(t.id(), muted);
                } catch (MeetingNotActiveException ignored) {
                    // unpublished meanwhile
                }
            }
        }
    }

    private void leave() {
        synchronized (this) {
            leftCleanly = true;
        }
        closeSession(LeaveReason.LEFT);
        sender.close(CLOSE_NORMAL, "left");
    }

    /** The transport closed (browser went away or the server stops). */
    public void onClose() {
        boolean clean;
        synchronized (this) {
            clean = leftCleanly;
        }
        closeSession(clean ? LeaveReason.LEFT : LeaveReason.CONNECTION_LOST);
    }

    void meetingEnded(String json) {
        send(json);
        synchronized (this) {
            closed = true;
            participant = null;
        }
        closeMedia();
        sender.close(CLOSE_ENDED, "meeting ended");
    }

    private void closeSession(LeaveReason reason) {
        Meeting m;
        Participant p;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            m = meeting;
            p = participant;
        }
        closeMedia();
        if (m != null && p != null) {
            hub.unregister(meetingId, this);
            m.leave(p.id(), reason);
        }
    }

    private void closeMedia() {
        MediaSession ms;
        synchronized (this) {
            ms = media;
            media = null;
        }
        if (ms != null) {
            ms.close();
        }
    }

    private void fail(String code, String message, int closeCode) {
        send(Messages.error(code, message));
        synchronized (this) {
            closed = true;
        }
        sender.close(closeCode, code);
    }

    private boolean requireJoined() {
        if (participant == null) {
            send(Messages.error("not-joined", "send {\"type\":\"join\",\"token\":…} first"));
            return false;
        }
        return true;
    }

    void send(String json) {
        try {
            sender.send(json);
        } catch (RuntimeException e) {
            LOG.debug("signaling send failed in meeting {}: {}", meetingId, e.toString());
        }
    }

    // ---- media callbacks ----

    @Override
    public void renegotiate(int audio, int video) {
        ObjectNode n = Messages.of("renegotiate");
        n.put("audio", audio);
        n.put("video", video);
        send(n.toString());
    }

    @Override
    public void slots(List<MediaSlot> slots) {
        send(Messages.slots(slots));
    }

    @Override
    public void connected() {
        send(Messages.of("media-connected").toString());
    }

    @Override
    public void closed(String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        ObjectNode n = Messages.of("media-closed");
        n.put("reason", reason);
        send(n.toString());
        closeSession(LeaveReason.CONNECTION_LOST);
        sender.close(CLOSE_MEDIA_LOST, "media connection lost");
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
