package org.steno.conference.signaling;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.steno.conference.meeting.LeaveReason;
import org.steno.conference.meeting.Participant;
import org.steno.conference.meeting.Track;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Builds the server → browser signaling messages (one JSON object with a "type" each). */
final class Messages {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Participants per {@code joined}/{@code roster} message: with their tracks about 3 KB (4 KB with 100-character
     * names), so joining a meeting of any size sends no large message.
     */
    static final int ROSTER_CHUNK = 10;

    private Messages() {
    }

    static ObjectNode of(String type) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        return n;
    }

    static String error(String code, String message) {
        ObjectNode n = of("error");
        n.put("code", code);
        n.put("message", message);
        return n.toString();
    }

    static ObjectNode participant(Participant p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", p.id());
        n.put("displayName", p.displayName());
        n.put("role", lower(p.role().name()));
        n.put("kind", lower(p.kind().name()));
        n.put("joinedAtMs", p.joinedAt().toMillis());
        return n;
    }

    static ObjectNode track(Track t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", t.id());
        n.put("participantId", t.participantId());
        n.put("kind", lower(t.kind().name()));
        n.put("source", lower(t.source().name()));
        n.put("muted", t.muted());
        return n;
    }

    /** Puts {@code participants} and their tracks (of {@code tracks}) into {@code n}. */
    static void putRoster(ObjectNode n, List<Participant> participants, List<Track> tracks) {
        var ps = n.putArray("participants");
        Set<String> ids = new HashSet<>();
        for (Participant p : participants) {
            ps.add(participant(p));
            ids.add(p.id());
        }
        var ts = n.putArray("tracks");
        for (Track t : tracks) {
            if (ids.contains(t.participantId())) {
                ts.add(track(t));
            }
        }
    }

    /** A chunk of the roster after {@code joined}; {@code last} on the final one. */
    static String roster(List<Participant> participants, List<Track> tracks, boolean last) {
        ObjectNode n = of("roster");
        putRoster(n, participants, tracks);
        n.put("last", last);
        return n.toString();
    }

    static String participantJoined(Participant p) {
        ObjectNode n = of("participant-joined");
        n.set("participant", participant(p));
        return n.toString();
    }

    static String participantLeft(Participant p, LeaveReason reason) {
        ObjectNode n = of("participant-left");
        n.put("participantId", p.id());
        n.put("reason", lower(reason.name()));
        return n.toString();
    }

    static String trackEvent(String type, Track t) {
        ObjectNode n = of(type);
        n.set("track", track(t));
        return n.toString();
    }

    static String slots(List<MediaSlot> slots) {
        ObjectNode n = of("slots");
        var arr = n.putArray("slots");
        for (MediaSlot s : slots) {
            ObjectNode o = arr.addObject();
            o.put("mid", s.mid());
            o.put("kind", s.kind());
            o.put("trackId", s.trackId());
            o.put("participantId", s.participantId());
        }
        return n.toString();
    }

    /** Requests shown in one {@code lobby} message; the count says how many wait in all. */
    static final int LOBBY_SHOWN = 20;

    static String lobby(List<org.steno.conference.lobby.Lobby.Request> waiting) {
        ObjectNode n = of("lobby");
        n.put("count", waiting.size());
        var arr = n.putArray("waiting");
        for (var r : waiting.subList(0, Math.min(waiting.size(), LOBBY_SHOWN))) {
            arr.add(JSON.valueToTree(r.view()));
        }
        return n.toString();
    }

    /** A chat message; {@code history}: sent to a page that joined after it was said. */
    static String chat(org.steno.conference.chat.ChatMessage c, boolean history) {
        ObjectNode n = of("chat");
        n.setAll((ObjectNode) JSON.valueToTree(c.view()));
        if (history) {
            n.put("history", true);
        }
        return n.toString();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
