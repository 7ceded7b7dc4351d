package org.steno.conference.signaling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.api.InvalidTokenException;
import org.steno.conference.api.JoinGrant;
import org.steno.conference.meeting.LeaveReason;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingLimitException;
import org.steno.conference.meeting.MeetingNotActiveException;
import org.steno.conference.media.TileSize;
import org.steno.conference.meeting.Participant;
import org.steno.conference.meeting.ParticipantKind;
import org.steno.conference.meeting.Track;
import org.steno.conference.meeting.TrackKind;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One browser's signaling connection, independent of the transport. Browser → server:
 * {@code join{token,maxVideo?}}, {@code offer{sdp,maxVideo?}}, {@code pin{participantIds}},
 * {@code tile-sizes{tiles}} (the tile size per receive mid, for simulcast layers),
 * {@code mute{kind,muted}}, {@code leave}, {@code ping}, {@code candidate} (ignored: the SFU
 * is ICE-lite). Server → browser: {@code joined} (with the first {@link Messages#ROSTER_CHUNK}
 * participants) and {@code roster} (the rest, in chunks), {@code answer}, {@code renegotiate}
 * (an absolute receive-slot target), {@code slots}, {@code participant-joined/left},
 * {@code track-published/unpublished/muted}, {@code dominant-speaker},
 * {@code meeting-updated/ended}, {@code pong}, {@code error}. Every message stays a few KB
 * whatever the meeting's size. A bad message gets an {@code error} back and the connection
 * stays; a bad or expired token gets an error and the connection is closed (4401). Every close
 * the server makes is logged with its code and reason.
 */
public final class SignalingSession implements MediaCallbacks {

    /** Close codes (4000–4999 are the application's). */
    public static final int CLOSE_NORMAL = 1000;
    public static final int CLOSE_BAD_TOKEN = 4401;
    public static final int CLOSE_NOT_FOUND = 4404;
    public static final int CLOSE_FULL = 4409;
    public static final int CLOSE_ENDED = 4410;
    /** A host removed this participant; they wait in the lobby if they come back. */
    public static final int CLOSE_REMOVED = 4403;
    /** The same browser joined again (another tab, or this page reconnecting): this older connection is over. */
    public static final int CLOSE_REPLACED = 4408;
    public static final int CLOSE_MEDIA_LOST = 4502;

    /** Most video a page may ask for ({@code maxVideo}); the SFU's last-N caps it further. */
    static final int MAX_VIDEO = 100;
    /** Most participants one {@code pin} may name. */
    static final int MAX_PINS = 20;
    /** Most tiles one {@code tile-sizes} may report (the page has at most 9 video slots). */
    static final int MAX_TILES = 32;
    /** Longest tile side a page may report, in device pixels (an 8K screen). */
    static final int MAX_TILE_SIDE = 7680;

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

    String meetingId() {
        return meetingId;
    }

    /** Whether this connection's participant is a host now (the meeting's view: a co-host may be promoted live). */
    boolean isHost() {
        Meeting m;
        String pid;
        synchronized (this) {
            if (participant == null || closed) {
                return false;
            }
            m = meeting;
            pid = participant.id();
        }
        return m.participant(pid).map(p -> p.role() == org.steno.conference.meeting.ParticipantRole.HOST).orElse(false);
    }

    /** The participant's identity (from the join token), or null before joining. */
    synchronized String identity() {
        return participant == null ? null : participant.identity();
    }

    /** A host removed this participant: they are told, they leave, and the connection closes. */
    void removedByHost() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        ObjectNode n = Messages.of("removed");
        n.put("message", "a host removed you from the meeting; to come back, ask to join again and wait to be let in");
        send(n.toString());
        closeSession(LeaveReason.REMOVED);
        closeTransport(CLOSE_REMOVED, "removed by a host");
    }

    /** The same browser joined again: this older presence leaves, and its page is told why. */
    void replaced() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        ObjectNode n = Messages.of("replaced");
        n.put("message", "you joined this meeting again from another tab or window; this one has left it");
        send(n.toString());
        closeSession(LeaveReason.LEFT);
        closeTransport(CLOSE_REPLACED, "replaced by a newer connection of the same browser");
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
                Integer maxVideo = maxVideo(msg);
                if (maxVideo == null && msg.has("maxVideo")) {
                    return;
                }
                join(msg.path("token").asString(), msg.path("sharedMicrophone").asBoolean(false));
                if (maxVideo != null) {
                    limitVideo(maxVideo);
                }
            }
            case "offer" -> offer(msg);
            case "pin" -> pin(msg);
            case "tile-sizes" -> tileSizes(msg);
            case "mute" -> mute(msg);
            case "chat" -> chat(msg);
            case "hand" -> hand(msg);
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
                    + "'; known: join, offer, pin, mute, chat, hand, leave, ping, candidate"));
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
                // The roster goes in chunks: at 150 participants it is ~50 KB, and no message should be.
                List<Participant> everyone = m.participants();
                List<Track> tracks = m.tracks();
                int first = Math.min(everyone.size(), Messages.ROSTER_CHUNK);
                j.put("participantCount", everyone.size());
                Messages.putRoster(j, everyone.subList(0, first), tracks);
                j.put("dominantSpeaker", hub.dominantSpeaker(meetingId));
                j.put("captionsEnabled", m.captionsEnabled());
                j.put("recording", m.recording());
                j.put("locked", hub.lobby() != null && hub.lobby().locked(meetingId));
                var hands = j.putArray("handsRaised");
                hub.handsRaised(meetingId).forEach(hands::add);
                send(j.toString());
                for (int i = first; i < everyone.size(); i += Messages.ROSTER_CHUNK) {
                    int end = Math.min(everyone.size(), i + Messages.ROSTER_CHUNK);
                    send(Messages.roster(everyone.subList(i, end), tracks, end == everyone.size()));
                }
            }
        }
        hub.replaceOlder(meetingId, this);
        for (var c : hub.chat().recent(meetingId)) {
            send(Messages.chat(c, true)); // one message each: none grows with the chat
        }
        if (participant.role() == org.steno.conference.meeting.ParticipantRole.HOST) {
            hub.sendLobby(this);
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
        Integer maxVideo = maxVideo(msg);
        if (maxVideo == null && msg.has("maxVideo")) {
            return;
        }
        if (ms == null) {
            send(Messages.error("not-ready", "media is not ready yet; send the offer again"));
            return;
        }
        if (maxVideo != null) {
            ms.limitVideo(maxVideo); // before answering: the slots and the next target follow it
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

    /** The optional {@code maxVideo} of a join or offer; null if absent, or (after an error) if malformed. */
    private Integer maxVideo(JsonNode msg) {
        if (!msg.has("maxVideo")) {
            return null;
        }
        JsonNode n = msg.get("maxVideo");
        if (!n.isIntegralNumber() || n.asLong() < 0 || n.asLong() > MAX_VIDEO) {
            send(Messages.error("bad-message", "\"maxVideo\" is the number of videos the page shows, 0 to " + MAX_VIDEO));
            return null;
        }
        return n.asInt();
    }

    private void limitVideo(int max) {
        MediaSession ms;
        synchronized (this) {
            ms = media;
        }
        if (ms != null) {
            ms.limitVideo(max);
        }
    }

    /** {@code pin{participantIds:[…]}}: these participants' video first (in order); [] unpins. */
    private void pin(JsonNode msg) {
        MediaSession ms;
        synchronized (this) {
            if (!requireJoined()) {
                return;
            }
            ms = media;
        }
        JsonNode ids = msg.path("participantIds");
        boolean ok = ids.isArray() && ids.size() <= MAX_PINS;
        List<String> pins = new ArrayList<>();
        for (int i = 0; ok && i < ids.size(); i++) {
            ok = ids.get(i).isString() && ids.get(i).asString().length() <= 64;
            if (ok) {
                pins.add(ids.get(i).asString());
            }
        }
        if (!ok) {
            send(Messages.error("bad-message", "pin needs \"participantIds\": an array of at most " + MAX_PINS
                    + " participant ids"));
            return;
        }
        if (ms != null) {
            ms.pin(pins);
        }
    }

    /**
     * {@code tile-sizes{tiles:{"<mid>":[width,height],…}}}: the size in device pixels of the tile each receive mid
     * shows in (simulcast: the SFU sends the smallest layer that fills it). At most {@link #MAX_TILES} entries, mids
     * of at most 16 characters, sides 0 to {@link #MAX_TILE_SIDE}.
     */
    private void tileSizes(JsonNode msg) {
        MediaSession ms;
        synchronized (this) {
            if (!requireJoined()) {
                return;
            }
            ms = media;
        }
        JsonNode tiles = msg.path("tiles");
        boolean ok = tiles.isObject() && tiles.size() <= MAX_TILES;
        Map<String, TileSize> byMid = new HashMap<>();
        if (ok) {
            for (var e : tiles.properties()) {
                JsonNode v = e.getValue();
                ok = e.getKey().length() <= 16 && v.isArray() && v.size() == 2 && side(v.get(0)) && side(v.get(1));
                if (!ok) {
                    break;
                }
                byMid.put(e.getKey(), new TileSize(v.get(0).asInt(), v.get(1).asInt()));
            }
        }
        if (!ok) {
            send(Messages.error("bad-message", "tile-sizes needs \"tiles\": an object of at most " + MAX_TILES
                    + " receive mids to [width, height] in pixels (0 to " + MAX_TILE_SIDE + ")"));
            return;
        }
        if (ms != null) {
            ms.tileSizes(byMid);
        }
    }

    private static boolean side(JsonNode n) {
        return n.isIntegralNumber() && n.asLong() >= 0 && n.asLong() <= MAX_TILE_SIDE;
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

    /** {@code chat{text}}: sent to everyone in the meeting (and kept with it), or an error to the sender. */
    private void chat(JsonNode msg) {
        Meeting m;
        Participant p;
        synchronized (this) {
            if (!requireJoined()) {
                return;
            }
            m = meeting;
            p = participant;
        }
        if (!msg.path("text").isString()) {
            send(Messages.error("bad-message", "chat needs a string \"text\""));
            return;
        }
        try {
            var posted = hub.chat().post(meetingId, p.id(), p.displayName(), msg.path("text").asString(), m.mediaTime().toMillis());
            hub.broadcast(meetingId, Messages.chat(posted, false));
        } catch (org.steno.conference.chat.ChatLog.Refused e) {
            send(Messages.error(e.code, e.getMessage()));
        }
    }

    /** {@code hand{raised}}: this participant raises or lowers their hand; everyone sees it. */
    private void hand(JsonNode msg) {
        String pid;
        synchronized (this) {
            if (!requireJoined()) {
                return;
            }
            pid = participant.id();
        }
        if (!msg.path("raised").isBoolean()) {
            send(Messages.error("bad-message", "hand needs a boolean \"raised\""));
            return;
        }
        hub.setHand(meetingId, pid, msg.path("raised").asBoolean());
    }

    private void leave() {
        synchronized (this) {
            leftCleanly = true;
        }
        closeSession(LeaveReason.LEFT);
        closeTransport(CLOSE_NORMAL, "left");
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
        closeTransport(CLOSE_ENDED, "meeting ended");
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
        closeTransport(closeCode, code);
    }

    /** Every close the server makes is logged: a socket that just goes away is hard to explain afterwards. */
    private void closeTransport(int code, String reason) {
        LOG.info("closing the signaling connection of {} in meeting {}: {} {}", who(), meetingId, code, reason);
        sender.close(code, reason);
    }

    private String who() {
        String id = participantId();
        return id == null ? "a connection not joined" : id;
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
        closeTransport(CLOSE_MEDIA_LOST, "media connection lost");
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
