package org.steno.conference.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.steno.conference.api.JoinTokens;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.meeting.ParticipantRole;
import org.steno.conference.meeting.TrackKind;
import org.steno.conference.meeting.TrackSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The transport-agnostic signaling core, driven with text messages and a recording sender. */
class SignalingSessionTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MeetingRegistry registry = new MeetingRegistry();
    private final JoinTokens tokens = new JoinTokens(KEY);
    private final FakeMedia media = new FakeMedia();
    private final SignalingHub hub = new SignalingHub(registry, tokens, media);
    private final Meeting meeting = registry.create("Standup");

    /** Records what the server sends and whether it closed. */
    static final class Wire implements SignalingSender {
        final List<JsonNode> sent = new CopyOnWriteArrayList<>();
        volatile Integer closeCode;

        @Override
        public void send(String json) {
            sent.add(JSON.readTree(json));
        }

        @Override
        public void close(int code, String reason) {
            closeCode = code;
        }

        JsonNode last() {
            return sent.get(sent.size() - 1);
        }

        List<String> types() {
            return sent.stream().map(n -> n.path("type").asString()).toList();
        }
    }

    /** A media plane that answers offers with a marker and lets the test fire callbacks. */
    static final class FakeMedia implements MediaGateway {
        final List<MediaCallbacks> opened = new ArrayList<>();
        final List<String> sharedMicrophones = new ArrayList<>();
        /** "participant:n" for each limitVideo, "participant:[ids]" for each pin, in order. */
        final List<String> limits = new CopyOnWriteArrayList<>();
        final List<String> pins = new CopyOnWriteArrayList<>();
        final List<java.util.Map<String, org.steno.conference.media.TileSize>> tiles = new CopyOnWriteArrayList<>();
        int closed;

        @Override
        public MediaSession open(String meetingId, String participantId, boolean sharedMicrophone, MediaCallbacks callbacks) {
            if (sharedMicrophone) {
                sharedMicrophones.add(participantId);
            }
            return open(meetingId, participantId, callbacks);
        }

        @Override
        public MediaSession open(String meetingId, String participantId, MediaCallbacks callbacks) {
            opened.add(callbacks);
            return new MediaSession() {
                @Override
                public String answer(String offerSdp) throws OfferRejectedException {
                    if (!offerSdp.startsWith("v=0")) {
                        throw new OfferRejectedException("offer is not SDP (must start with v=0)");
                    }
                    return "v=0 answer for " + participantId;
                }

                @Override
                public void limitVideo(int max) {
                    limits.add(participantId + ":" + max);
                }

                @Override
                public void pin(List<String> participantIds) {
                    pins.add(participantId + ":" + participantIds);
                }

                @Override
                public void tileSizes(java.util.Map<String, org.steno.conference.media.TileSize> sizesByMid) {
                    tiles.add(sizesByMid);
                }

                @Override
                public void close() {
                    closed++;
                }
            };
        }
    }

    private String token(String name) {
        return tokens.issue(meeting.id(), "guest:" + name, name, ParticipantRole.PARTICIPANT, Set.of("publish", "subscribe"));
    }

    private Wire joined(String name) {
        Wire w = new Wire();
        SignalingSession s = hub.open(meeting.id(), w);
        s.onText("{\"type\":\"join\",\"token\":\"" + token(name) + "\"}");
        sessions.add(s);
        return w;
    }

    private final List<SignalingSession> sessions = new ArrayList<>();

    /** A socket as the web app opens it: connect, then the token in the first message. */
    static SignalingSession openAndJoin(SignalingHub hub, String meetingId, String token, boolean shared, Wire w) {
        SignalingSession s = hub.open(meetingId, w);
        s.onText("{\"type\":\"join\",\"token\":\"" + token + "\",\"sharedMicrophone\":" + shared + "}");
        return s;
    }

    @Test
    void aRoomMicrophoneIsAskedForByTheJoinMessage() {
        Wire room = new Wire();
        SignalingSession s = hub.open(meeting.id(), room);
        s.onText("{\"type\":\"join\",\"token\":\"" + token("Room4") + "\",\"sharedMicrophone\":true}");
        sessions.add(s);
        sessions.add(openAndJoin(hub, meeting.id(), token("Room5"), true, new Wire()));
        joined("Alice");
        assertThat(room.types()).contains("joined");
        assertThat(media.sharedMicrophones).hasSize(2)
                .containsExactlyInAnyOrderElementsOf(meeting.participants().stream()
                        .filter(p -> !p.displayName().equals("Alice")).map(p -> p.id()).toList());
    }

    @Test
    void joinOfferAnswerAndPresence() {
        Wire alice = joined("Alice");
        JsonNode j = alice.sent.get(0);
        assertThat(j.path("type").asString()).isEqualTo("joined");
        assertThat(j.path("displayName").asString()).isEqualTo("Alice");
        assertThat(j.path("participants")).hasSize(1);
        String alicePid = j.path("participantId").asString();

        sessions.get(0).onText("{\"type\":\"offer\",\"sdp\":\"v=0 offer\"}");
        assertThat(alice.last().path("type").asString()).isEqualTo("answer");
        assertThat(alice.last().path("sdp").asString()).isEqualTo("v=0 answer for " + alicePid);

        Wire bob = joined("Bob");
        assertThat(bob.sent.get(0).path("participants")).hasSize(2);
        assertThat(alice.last().path("type").asString()).isEqualTo("participant-joined");
        assertThat(alice.last().path("participant").path("displayName").asString()).isEqualTo("Bob");

        // The media plane announces Bob's microphone: everyone hears of it; Bob mutes it.
        String bobPid = bob.sent.get(0).path("participantId").asString();
        meeting.publish(bobPid, TrackKind.AUDIO, TrackSource.MICROPHONE, "audio/opus");
        assertThat(alice.last().path("type").asString()).isEqualTo("track-published");
        sessions.get(1).onText("{\"type\":\"mute\",\"kind\":\"audio\",\"muted\":true}");
        assertThat(alice.last().path("type").asString()).isEqualTo("track-muted");
        assertThat(alice.last().path("track").path("muted").asBoolean()).isTrue();

        hub.dominantSpeaker(meeting.id(), bobPid);
        assertThat(alice.last().path("type").asString()).isEqualTo("dominant-speaker");
        assertThat(alice.last().path("participantId").asString()).isEqualTo(bobPid);

        hub.notice(meeting.id(), "recording-stopped", "The recording stopped: the recorder's disk is full.");
        assertThat(alice.last().path("type").asString()).isEqualTo("notice");
        assertThat(alice.last().path("message").asString()).isEqualTo("The recording stopped: the recorder's disk is full.");
        assertThat(bob.last().path("code").asString()).isEqualTo("recording-stopped");

        media.opened.get(0).renegotiate(1, 1);
        assertThat(alice.last().path("type").asString()).isEqualTo("renegotiate");
        media.opened.get(0).slots(List.of(new MediaSlot("2", "audio", "t1", bobPid)));
        assertThat(alice.last().path("slots").get(0).path("participantId").asString()).isEqualTo(bobPid);

        // Bob's browser vanishes: Alice sees him leave and his track go.
        sessions.get(1).onClose();
        assertThat(alice.types()).contains("track-unpublished");
        assertThat(alice.last().path("type").asString()).isEqualTo("participant-left");
        assertThat(alice.last().path("reason").asString()).isEqualTo("connection-lost");
        assertThat(meeting.participantCount()).isEqualTo(1);
        assertThat(media.closed).isEqualTo(1);

        sessions.get(0).onText("{\"type\":\"leave\"}");
        assertThat(alice.closeCode).isEqualTo(1000);
        assertThat(meeting.participantCount()).isZero();
        assertThat(hub.sessions(meeting.id())).isZero();
    }

    @Test
    void malformedAndUnknownMessagesGetErrorsAndTheConnectionStays() {
        Wire w = joined("Alice");
        SignalingSession s = sessions.get(0);
        String[] bad = {"", "not json", "[]", "42", "{}", "{\"type\":7}", "{\"type\":\"dance\"}", "{\"type\":\"offer\"}",
                "{\"type\":\"offer\",\"sdp\":\"\"}", "{\"type\":\"offer\",\"sdp\":\"garbage\"}",
                "{\"type\":\"mute\",\"kind\":\"smell\",\"muted\":true}", "{\"type\":\"mute\",\"kind\":\"audio\"}",
                "{\"type\":\"join\",\"token\":\"" + token("Again") + "\"}", "{\"type\":\"join\"}", "x".repeat(70_000),
                "{\"type\":\"offer\",\"sdp\":" + "[".repeat(5000) + "}", "\u0000\uFFFF",
                "{\"type\":\"offer\",\"sdp\":\"v=0\",\"maxVideo\":-1}", "{\"type\":\"offer\",\"sdp\":\"v=0\",\"maxVideo\":\"9\"}",
                "{\"type\":\"offer\",\"sdp\":\"v=0\",\"maxVideo\":1000}", "{\"type\":\"pin\"}",
                "{\"type\":\"pin\",\"participantIds\":\"p1\"}", "{\"type\":\"pin\",\"participantIds\":[1]}",
                "{\"type\":\"pin\",\"participantIds\":[" + "\"p1\",".repeat(25) + "\"p2\"]}"};
        for (String b : bad) {
            int before = w.sent.size();
            s.onText(b);
            assertThat(w.sent.size()).as(b.length() > 50 ? b.substring(0, 50) : b).isEqualTo(before + 1);
            assertThat(w.last().path("type").asString()).isEqualTo("error");
            assertThat(w.last().path("message").asString()).isNotBlank();
        }
        assertThat(w.closeCode).isNull();
        assertThat(w.sent.stream().filter(n -> n.path("type").asString().equals("error")).map(n -> n.path("code").asString()))
                .contains("bad-message", "unknown-type", "bad-sdp", "already-joined", "too-large");
        s.onText("{\"type\":\"ping\",\"id\":3}");
        assertThat(w.last().path("type").asString()).isEqualTo("pong");
        assertThat(w.last().path("id").asInt()).isEqualTo(3);
        s.onText("{\"type\":\"candidate\",\"candidate\":\"x\"}"); // ignored quietly
        assertThat(w.last().path("type").asString()).isEqualTo("pong");
    }

    @Test
    void maxVideoAndPinsReachTheMediaSession() {
        Wire w = new Wire();
        SignalingSession s = hub.open(meeting.id(), w);
        s.onText("{\"type\":\"join\",\"token\":\"" + token("Alice") + "\",\"maxVideo\":4}");
        sessions.add(s);
        String pid = w.sent.get(0).path("participantId").asString();
        assertThat(media.limits).containsExactly(pid + ":4");
        s.onText("{\"type\":\"offer\",\"sdp\":\"v=0 offer\",\"maxVideo\":2}");
        assertThat(w.last().path("type").asString()).isEqualTo("answer");
        assertThat(media.limits).containsExactly(pid + ":4", pid + ":2");
        s.onText("{\"type\":\"offer\",\"sdp\":\"v=0 offer\"}");
        assertThat(media.limits).as("an offer without maxVideo keeps the last").hasSize(2);
        s.onText("{\"type\":\"pin\",\"participantIds\":[\"p7\",\"p3\"]}");
        s.onText("{\"type\":\"pin\",\"participantIds\":[]}");
        assertThat(media.pins).containsExactly(pid + ":[p7, p3]", pid + ":[]");
        assertThat(w.types()).doesNotContain("error");
    }

    @Test
    void tileSizesReachTheMediaSessionAndMalformedOnesGetAnError() {
        Wire w = joined("Alice");
        SignalingSession s = sessions.get(0);
        s.onText("{\"type\":\"tile-sizes\",\"tiles\":{\"3\":[320,180],\"5\":[1280,720]}}");
        assertThat(media.tiles).containsExactly(java.util.Map.of("3", new org.steno.conference.media.TileSize(320, 180),
                "5", new org.steno.conference.media.TileSize(1280, 720)));
        String[] bad = {"{\"type\":\"tile-sizes\"}", "{\"type\":\"tile-sizes\",\"tiles\":[1,2]}",
                "{\"type\":\"tile-sizes\",\"tiles\":{\"3\":180}}", "{\"type\":\"tile-sizes\",\"tiles\":{\"3\":[1]}}",
                "{\"type\":\"tile-sizes\",\"tiles\":{\"3\":[-1,5]}}", "{\"type\":\"tile-sizes\",\"tiles\":{\"3\":[99999,5]}}",
                "{\"type\":\"tile-sizes\",\"tiles\":{\"3\":[\"320\",180]}}", "{\"type\":\"tile-sizes\",\"tiles\":{\"3\":[1.5,2]}}",
                "{\"type\":\"tile-sizes\",\"tiles\":{\"" + "m".repeat(17) + "\":[1,2]}}",
                "{\"type\":\"tile-sizes\",\"tiles\":{" + java.util.stream.IntStream.range(0, 33)
                        .mapToObj(i -> "\"" + i + "\":[1,1]").collect(java.util.stream.Collectors.joining(",")) + "}}"};
        for (String b : bad) {
            int before = w.sent.size();
            s.onText(b);
            assertThat(w.sent.size()).as(b).isEqualTo(before + 1);
            assertThat(w.last().path("code").asString()).as(b).isEqualTo("bad-message");
            assertThat(w.last().path("message").asString()).contains("tile-sizes");
        }
        assertThat(media.tiles).as("nothing malformed reached the media session").hasSize(1);
        assertThat(w.closeCode).isNull();
    }

    @Test
    void theRosterOfALargeMeetingComesInSmallChunks() {
        for (int i = 0; i < 34; i++) {
            joined("Person " + i + " " + "x".repeat(80));
        }
        Wire w = joined("Last");
        List<JsonNode> roster = w.sent.stream().filter(n -> List.of("joined", "roster").contains(n.path("type").asString()))
                .toList();
        assertThat(roster).hasSize(4); // 35 participants, 10 per message
        assertThat(roster.get(0).path("participantCount").asInt()).isEqualTo(35);
        assertThat(roster.subList(1, 4)).allSatisfy(n -> assertThat(n.path("type").asString()).isEqualTo("roster"));
        assertThat(roster.get(3).path("last").asBoolean()).isTrue();
        assertThat(roster.get(2).path("last").asBoolean()).isFalse();
        assertThat(roster.stream().mapToInt(n -> n.path("participants").size()).sum()).isEqualTo(35);
        assertThat(roster).allSatisfy(n -> assertThat(n.toString().length()).isLessThan(4096));
    }

    @Test
    void messagesBeforeJoinAreRefused() {
        Wire w = new Wire();
        SignalingSession s = hub.open(meeting.id(), w);
        s.onText("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        assertThat(w.last().path("code").asString()).isEqualTo("not-joined");
        s.onText("{\"type\":\"mute\",\"kind\":\"audio\",\"muted\":true}");
        assertThat(w.last().path("code").asString()).isEqualTo("not-joined");
        assertThat(w.closeCode).isNull();
        assertThat(meeting.participantCount()).isZero();
    }

    @Test
    void badExpiredOrForeignTokensGetAnErrorAndAClose() {
        Meeting other = registry.create("other");
        JoinTokens expired = new JoinTokens(KEY, Duration.ofMinutes(1),
                Clock.fixed(Instant.now().minus(Duration.ofMinutes(5)), ZoneOffset.UTC));
        String[] badTokens = {
                "garbage",
                expired.issue(meeting.id(), "guest:x", "X", ParticipantRole.PARTICIPANT, Set.of()),
                tokens.issue(other.id(), "guest:x", "X", ParticipantRole.PARTICIPANT, Set.of()),
                new JoinTokens("another-key-another-key-another-k".getBytes()).issue(meeting.id(), "g", "X", ParticipantRole.HOST, Set.of())};
        for (String t : badTokens) {
            Wire w = new Wire();
            openAndJoin(hub, meeting.id(), t, false, w);
            assertThat(w.last().path("type").asString()).isEqualTo("error");
            assertThat(w.last().path("code").asString()).isEqualTo("bad-token");
            assertThat(w.closeCode).isEqualTo(SignalingSession.CLOSE_BAD_TOKEN);
        }
        assertThat(meeting.participantCount()).isZero();
        // Unknown meeting with a validly signed token for it.
        Wire w = new Wire();
        openAndJoin(hub, "abc-defg-hij", tokens.issue("abc-defg-hij", "g", "X", ParticipantRole.HOST, Set.of()), false, w);
        assertThat(w.last().path("code").asString()).isEqualTo("not-found");
        assertThat(w.closeCode).isEqualTo(SignalingSession.CLOSE_NOT_FOUND);
    }

    @Test
    void mediaLossAndMeetingEndCloseTheSession() {
        Wire alice = joined("Alice");
        Wire bob = joined("Bob");
        media.opened.get(1).closed("consent-timeout");
        assertThat(bob.types()).contains("media-closed");
        assertThat(bob.closeCode).isEqualTo(SignalingSession.CLOSE_MEDIA_LOST);
        assertThat(alice.last().path("type").asString()).isEqualTo("participant-left");
        registry.end(meeting.id(), org.steno.conference.meeting.EndReason.ENDED_BY_HOST);
        assertThat(alice.types()).contains("meeting-ended");
        assertThat(alice.closeCode).isEqualTo(SignalingSession.CLOSE_ENDED);
        sessions.get(0).onClose(); // the transport closes afterwards: harmless
        assertThat(media.closed).isEqualTo(2);
    }
}
