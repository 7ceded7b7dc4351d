package org.steno.conference.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.steno.conference.api.JoinTokens;
import org.steno.conference.media.MediaServer;
import org.steno.conference.media.MediaSettings;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingLimits;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.meeting.ParticipantRole;
import org.steno.conference.tap.MediaTaps;
import org.steno.conference.tap.TapSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue #11 at the signaling boundary: 150 participants join one meeting through the real signaling and SFU
 * (endpoints that negotiate but never connect: no packets, only offers, answers and messages). Each page behaves as
 * room.js does: a first offer guessed from the roster, then recvonly transceivers added up to each
 * {@code renegotiate} target and offered again, one offer at a time; its offers are the Chromium 156 offer the page
 * makes (Opus/VP8 only, header extensions trimmed), cut to as many m-lines as the page has. Every page ends with
 * exactly 3 audio and 9 video receive slots, all showing someone else; no offer, answer or message grows with the
 * meeting; a target is never asked again before an offer has met it.
 */
class LargeMeetingSignalingTest {

    private static final int PARTICIPANTS = 150;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private final MeetingRegistry registry = new MeetingRegistry(MeetingLimits.defaults());
    private final MediaTaps taps = new MediaTaps(registry, TapSettings.defaults());
    private final JoinTokens tokens = new JoinTokens(KEY);
    private final SignalingHub hub = new SignalingHub(registry, tokens, MediaGateway.NONE);
    private MediaServer media;
    private SfuGateway gateway;
    private long clock; // orders what the server sends and what the pages send
    private final OfferTemplate template = OfferTemplate.load();

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (media != null) {
            media.close();
        }
    }

    /** The page offer fixture cut into its sections, to build an offer with any number of receive m-lines. */
    record OfferTemplate(String session, String sendAudio, String sendVideo, String recvAudio, String recvVideo) {

        static OfferTemplate load() {
            String sdp;
            try (InputStream in = LargeMeetingSignalingTest.class.getResourceAsStream("/media/chromium156-page-offer.sdp")) {
                sdp = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            String[] parts = sdp.split("(?=\r\nm=)");
            List<String> sections = new ArrayList<>();
            sections.add(parts[0] + "\r\n");
            for (int i = 1; i < parts.length; i++) {
                sections.add(parts[i].substring(2) + (i + 1 < parts.length ? "\r\n" : ""));
            }
            // 0 session, 1 sendonly audio, 2 sendonly video, 3-5 recvonly audio, 6-14 recvonly video
            assertThat(sections).hasSize(15);
            return new OfferTemplate(sections.get(0), sections.get(1), sections.get(2), sections.get(3), sections.get(6));
        }

        /** An offer with the page's own microphone and camera, then these receive kinds, mids 0, 1, 2… */
        String build(List<String> receiveKinds) {
            StringBuilder mids = new StringBuilder("0 1");
            StringBuilder body = new StringBuilder(sendAudio).append(sendVideo);
            for (int i = 0; i < receiveKinds.size(); i++) {
                String section = receiveKinds.get(i).equals("audio") ? recvAudio : recvVideo;
                body.append(section.replaceFirst("a=mid:\\d+\r\n", "a=mid:" + (i + 2) + "\r\n"));
                mids.append(' ').append(i + 2);
            }
            return session.replaceFirst("a=group:BUNDLE [0-9 ]+", "a=group:BUNDLE " + mids) + body;
        }
    }

    /** A browser running room.js, as far as signaling goes; the test's loop delivers what the server sent. */
    final class Page implements SignalingSender {
        final String name;
        SignalingSession session;
        String participantId;
        final List<String> receivers = new ArrayList<>(); // recvonly transceivers, in the order added
        boolean offerOut;
        boolean again;
        final Deque<long[]> inboxClock = new ArrayDeque<>();
        final Deque<String> inbox = new ArrayDeque<>();
        final List<int[]> targets = new ArrayList<>(); // {audio, video, server clock}
        final List<int[]> offers = new ArrayList<>(); // {audio, video, page clock}
        final Map<String, Integer> maxBytesByType = new LinkedHashMap<>();
        int maxOfferSdp;
        int maxOfferMessage;
        int maxAnswerSdp;
        JsonNode slots;
        final List<String> errors = new ArrayList<>();
        Integer closeCode;

        Page(String name) {
            this.name = name;
        }

        @Override
        public void send(String json) {
            inbox.add(json);
            inboxClock.add(new long[] {++clock});
        }

        @Override
        public void close(int code, String reason) {
            closeCode = code;
        }

        int count(String kind) {
            return (int) receivers.stream().filter(kind::equals).count();
        }

        /** Adds recvonly transceivers up to a target; returns how many. */
        int reach(int audio, int video) {
            int added = 0;
            for (int i = count("audio"); i < audio; i++, added++) {
                receivers.add("audio");
            }
            for (int i = count("video"); i < video; i++, added++) {
                receivers.add("video");
            }
            return added;
        }

        void offer() {
            String sdp = template.build(receivers);
            ObjectNode o = JSON.createObjectNode();
            o.put("type", "offer");
            o.put("sdp", sdp);
            o.put("maxVideo", 9);
            String msg = o.toString();
            maxOfferSdp = Math.max(maxOfferSdp, bytes(sdp));
            maxOfferMessage = Math.max(maxOfferMessage, bytes(msg));
            offerOut = true;
            offers.add(new int[] {count("audio"), count("video"), (int) ++clock});
            session.onText(msg);
        }

        /** Handles what has arrived, as room.js and receive-slots.js do; true if there was anything. */
        boolean process() {
            boolean any = false;
            String json;
            while ((json = inbox.poll()) != null) {
                long at = inboxClock.poll()[0];
                any = true;
                JsonNode n = JSON.readTree(json);
                String type = n.path("type").asString();
                maxBytesByType.merge(type, bytes(json), Math::max);
                switch (type) {
                    case "joined" -> {
                        participantId = n.path("participantId").asString();
                        int others = Math.max(n.path("participantCount").asInt() - 1, 1);
                        reach(Math.min(others, 3), Math.min(others, 9));
                        offer();
                    }
                    case "answer" -> {
                        maxAnswerSdp = Math.max(maxAnswerSdp, bytes(n.path("sdp").asString()));
                        offerOut = false;
                        if (again) {
                            again = false;
                            offer();
                        }
                    }
                    case "renegotiate" -> {
                        targets.add(new int[] {n.path("audio").asInt(), n.path("video").asInt(), (int) at});
                        if (reach(n.path("audio").asInt(), n.path("video").asInt()) > 0) {
                            if (offerOut) {
                                again = true;
                            } else {
                                offer();
                            }
                        }
                    }
                    case "slots" -> slots = n;
                    case "error" -> errors.add(json);
                    default -> {
                    }
                }
            }
            return any;
        }
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private void runUntilQuiet(List<Page> pages) {
        boolean busy = true;
        while (busy) {
            busy = false;
            for (Page p : pages) {
                busy |= p.process();
            }
        }
    }

    private Page join(Meeting m, int i) {
        Page p = new Page(String.format("Participant %03d", i));
        p.session = hub.open(m.id(), p);
        p.session.onText("{\"type\":\"join\",\"token\":\"" + tokens.issue(m.id(), "guest:" + i, p.name,
                ParticipantRole.PARTICIPANT, Set.of("publish", "subscribe")) + "\",\"maxVideo\":9}");
        return p;
    }

    @Test
    void oneHundredFiftyParticipantsEachGetThreeAudioAndNineVideoSlotsWithSmallMessages() throws Exception {
        // No STUN checks come: keep the endpoints past the default 30 s consent timeout.
        media = MediaServer.start(MediaSettings.of("127.0.0.1", 0, "127.0.0.1").withConsentTimeout(Duration.ofMinutes(10)));
        gateway = new SfuGateway(media, registry, taps, hub);
        hub.setMedia(gateway);
        Meeting m = registry.create("all hands");
        List<Page> pages = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < PARTICIPANTS; i++) {
            pages.add(join(m, i));
            runUntilQuiet(pages);
        }
        long joinMillis = (System.nanoTime() - t0) / 1_000_000;

        for (Page p : pages) {
            assertThat(p.errors).as(p.name).isEmpty();
            assertThat(p.closeCode).as(p.name).isNull();
            assertThat(p.offerOut).as(p.name + " has its last answer").isFalse();
            // Exactly the target: no transceiver added twice.
            assertThat(p.count("audio")).as(p.name + " audio receivers").isEqualTo(3);
            assertThat(p.count("video")).as(p.name + " video receivers").isEqualTo(9);
            for (int[] t : p.targets) {
                assertThat(t[0]).as(p.name + " audio target").isBetween(1, 3);
                assertThat(t[1]).as(p.name + " video target").isBetween(1, 9);
            }
            // A target is asked again only after an offer made since the last one has met it.
            for (int k = 1; k < p.targets.size(); k++) {
                int[] previous = p.targets.get(k - 1);
                int[] next = p.targets.get(k);
                assertThat(p.offers).as(p.name + ": an offer meeting " + previous[0] + "/" + previous[1]
                        + " before being asked " + next[0] + "/" + next[1])
                        .anySatisfy(o -> assertThat(o[2] > previous[2] && o[2] < next[2] && o[0] >= previous[0]
                                && o[1] >= previous[1]).isTrue());
            }
            assertThat(p.targets.size()).as(p.name + " renegotiations").isLessThanOrEqualTo(9);
            assertSlotsShowOthers(p, 3, 9);
        }

        // Every message a page received stays a few KB, whatever the meeting's size.
        Map<String, Integer> maxByType = new LinkedHashMap<>();
        pages.forEach(p -> p.maxBytesByType.forEach((k, v) -> maxByType.merge(k, v, Math::max)));
        int maxOfferSdp = pages.stream().mapToInt(p -> p.maxOfferSdp).max().orElseThrow();
        int maxOfferMessage = pages.stream().mapToInt(p -> p.maxOfferMessage).max().orElseThrow();
        int maxAnswerSdp = pages.stream().mapToInt(p -> p.maxAnswerSdp).max().orElseThrow();
        int maxTargets = pages.stream().mapToInt(p -> p.targets.size()).max().orElseThrow();
        int totalOffers = pages.stream().mapToInt(p -> p.offers.size()).sum();
        System.out.printf("%d participants joined in %d ms; %d offers (at most %d renegotiations per page)%n",
                PARTICIPANTS, joinMillis, totalOffers, maxTargets);
        System.out.printf("largest offer: SDP %d bytes, message %d bytes; largest answer SDP %d bytes%n",
                maxOfferSdp, maxOfferMessage, maxAnswerSdp);
        System.out.println("largest server message by type (bytes): " + maxByType);
        assertThat(maxOfferMessage).as("offer message").isLessThan(10 * 1024);
        assertThat(maxByType.get("answer")).as("answer message").isLessThan(10 * 1024);
        maxByType.forEach((type, size) -> {
            if (!type.equals("answer")) {
                assertThat(size).as(type + " message").isLessThan(4 * 1024);
            }
        });

        // 30 leave: the others' slots fill from those who stay, with no renegotiation (the targets still hold).
        List<Page> leaving = new ArrayList<>(pages.subList(0, 30));
        Map<Page, Integer> targetsBefore = new LinkedHashMap<>();
        pages.forEach(p -> targetsBefore.put(p, p.targets.size()));
        for (Page p : leaving) {
            p.session.onText("{\"type\":\"leave\"}");
            runUntilQuiet(pages);
        }
        pages.removeAll(leaving);
        Set<String> gone = new HashSet<>();
        leaving.forEach(p -> gone.add(p.participantId));
        for (Page p : pages) {
            assertThat(p.targets).as(p.name).hasSize(targetsBefore.get(p));
            assertSlotsShowOthers(p, 3, 9);
            for (JsonNode s : p.slots.path("slots")) {
                assertThat(gone).as(p.name + " slot " + s.path("mid").asString()).doesNotContain(s.path("participantId").asString());
            }
        }

        // A pin: the pinned participants' video, first.
        Page last = pages.get(pages.size() - 1);
        List<String> pinned = List.of(pages.get(50).participantId, pages.get(70).participantId, pages.get(90).participantId);
        last.session.onText("{\"type\":\"pin\",\"participantIds\":" + JSON.writeValueAsString(pinned) + "}");
        runUntilQuiet(pages);
        List<String> videoShown = new ArrayList<>();
        for (JsonNode s : last.slots.path("slots")) {
            if (s.path("kind").asString().equals("video")) {
                videoShown.add(s.path("participantId").asString());
            }
        }
        assertThat(videoShown).hasSize(9).containsAll(pinned);
        assertThat(last.errors).isEmpty();
    }

    /** The page's last {@code slots}: every receive mid shows someone else, each at most once per kind. */
    private static void assertSlotsShowOthers(Page p, int audio, int video) {
        assertThat(p.slots).as(p.name + " got slots").isNotNull();
        List<String> a = new ArrayList<>();
        List<String> v = new ArrayList<>();
        for (JsonNode s : p.slots.path("slots")) {
            String who = s.path("participantId").isNull() ? null : s.path("participantId").asString();
            (s.path("kind").asString().equals("audio") ? a : v).add(who);
        }
        assertThat(a).as(p.name + " audio slots").hasSize(audio).doesNotContainNull().doesNotHaveDuplicates()
                .doesNotContain(p.participantId);
        assertThat(v).as(p.name + " video slots").hasSize(video).doesNotContainNull().doesNotHaveDuplicates()
                .doesNotContain(p.participantId);
    }
}
