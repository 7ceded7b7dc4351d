package org.steno.conference.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.steno.conference.api.JoinTokens;
import org.steno.conference.media.Endpoint;
import org.steno.conference.media.MediaFrame;
import org.steno.conference.media.MediaKind;
import org.steno.conference.media.MediaServer;
import org.steno.conference.media.SlotAssignment;
import org.steno.conference.media.TrackInfo;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.meeting.ParticipantRole;
import org.steno.conference.tap.MediaTaps;
import org.steno.conference.tap.PcmFrame;
import org.steno.conference.tap.TapEvent;
import org.steno.conference.tap.TapSettings;
import org.steno.conference.tap.TapStart;
import org.steno.conference.tap.TapSubscriber;

/**
 * The adapter between the real media plane and meetings: endpoints per participant,
 * upstream tracks published in the registry, RTP → tap with media time, slots and loss of
 * media relayed to signaling. The media plane's listener calls are driven directly (no browser).
 */
class SfuGatewayTest {

    private final MeetingRegistry registry = new MeetingRegistry();
    private final MediaTaps taps = new MediaTaps(registry, TapSettings.defaults());
    private final JoinTokens tokens = new JoinTokens("0123456789abcdef0123456789abcdef".getBytes());
    private final SignalingHub hub = new SignalingHub(registry, tokens, MediaGateway.NONE);
    private MediaServer media;
    private SfuGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (media != null) {
            media.close();
        }
    }

    @Test
    void tracksRtpSlotsAndMediaLossFlowThroughToMeetings() throws Exception {
        media = MediaServer.start("127.0.0.1", 0, "127.0.0.1");
        gateway = new SfuGateway(media, registry, taps, hub);
        hub.setMedia(gateway);
        Meeting m = registry.create("sfu");
        SignalingSessionTest.Wire alice = new SignalingSessionTest.Wire();
        SignalingSessionTest.openAndJoin(hub, m.id(), tokens.issue(m.id(), "guest:a", "Alice", ParticipantRole.HOST, Set.of("publish")), false, alice);
        String pid = alice.sent.get(0).path("participantId").asString();
        Endpoint ep = gateway.endpointOf(pid);
        assertThat(ep).isNotNull();
        assertThat(ep.groupId()).isEqualTo(m.id());

        // Garbage SDP is refused with a sentence, not an exception.
        alice.sent.clear();
        SignalingSession s = hub.sessionOf(m.id(), pid);
        s.onText("{\"type\":\"offer\",\"sdp\":\"hello\"}");
        assertThat(alice.last().path("code").asString()).isEqualTo("bad-sdp");

        List<TapEvent> events = new CopyOnWriteArrayList<>();
        taps.tap(m.id()).orElseThrow().subscribe(new TapSubscriber() {
            @Override
            public void started(TapStart start) {
            }

            @Override
            public void onEvent(TapEvent e) {
                events.add(e);
            }
        }, null);

        TrackInfo mic = new TrackInfo(ep.id() + "/0", pid, m.id(), MediaKind.AUDIO, "opus", 48000, "0");
        gateway.onTrack(ep, mic);
        assertThat(m.tracks()).singleElement().satisfies(t -> assertThat(t.codec()).isEqualTo("audio/opus"));
        // A shared screen (its m-line said a=content:slides) is a screen track, not a second camera.
        TrackInfo screen = new TrackInfo(ep.id() + "/5", pid, m.id(), MediaKind.VIDEO, "VP8", 90000, "5", true);
        gateway.onTrack(ep, screen);
        assertThat(m.tracks()).filteredOn(t -> t.source() == org.steno.conference.meeting.TrackSource.SCREEN).hasSize(1);
        gateway.onTrackEnded(ep, screen);
        assertThat(m.tracks()).singleElement().satisfies(t -> assertThat(t.source()).isEqualTo(org.steno.conference.meeting.TrackSource.MICROPHONE));
        assertThat(alice.types()).contains("track-published");
        String trackId = m.tracks().get(0).id();

        OpusEncoder enc = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        short[] pcm = new short[960];
        byte[] buf = new byte[1500];
        long now = System.nanoTime();
        for (int k = 0; k < 50; k++) {
            for (int i = 0; i < 960; i++) {
                pcm[i] = (short) (5000 * Math.sin(2 * Math.PI * 300 * (k * 960 + i) / 48000.0));
            }
            int n = enc.encode(pcm, 0, 960, buf, 0, buf.length);
            // Arrival jitters by up to 15 ms; media time must follow the RTP clock, not the jitter.
            long arrival = now + k * 20_000_000L + (k % 3) * 5_000_000L;
            gateway.onRtp(new MediaFrame(mic, 5000 + k, 0xFFFFF000L + 960L * k, false, java.util.Arrays.copyOf(buf, n),
                    arrival, System.currentTimeMillis(), 30));
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (frames(events, trackId).size() < 48 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<PcmFrame> frames = frames(events, trackId);
        assertThat(frames.size()).isGreaterThanOrEqualTo(48);
        assertThat(frames.get(0).speakerDisplayName()).isEqualTo("Alice");
        Duration first = frames.get(0).mediaTime();
        assertThat(first).isEqualTo(m.mediaTimeAt(now));
        // Across the 32-bit RTP timestamp wrap, frames stay contiguous: 20 ms apart.
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i).mediaTime()).isEqualTo(frames.get(i - 1).mediaEnd());
        }
        assertThat(gateway.tapDrops()).isZero();

        gateway.onSlotsChanged(ep, List.of(new SlotAssignment("1", MediaKind.AUDIO, 1234, mic.trackId(), pid),
                new SlotAssignment("2", MediaKind.VIDEO, 1235, null, null)));
        assertThat(alice.last().path("type").asString()).isEqualTo("slots");
        assertThat(alice.last().path("slots").get(0).path("trackId").asString()).isEqualTo(trackId);
        assertThat(alice.last().path("slots").get(1).path("trackId").isNull()).isTrue();

        // A slot given a source before its track is published says so once it is (the SFU may assign a source at
        // its first packet): without the repeat, the page would never learn whom the slot shows.
        TrackInfo early = new TrackInfo(ep.id() + "/7", pid, m.id(), MediaKind.VIDEO, "VP8", 90000, "7");
        gateway.onSlotsChanged(ep, List.of(new SlotAssignment("3", MediaKind.VIDEO, 1236, early.trackId(), pid)));
        assertThat(alice.last().path("slots").get(0).path("participantId").isNull()).isTrue();
        int before = alice.sent.size();
        gateway.onTrack(ep, early);
        String earlyTrack = m.tracks().stream().filter(t -> t.kind() == org.steno.conference.meeting.TrackKind.VIDEO)
                .findFirst().orElseThrow().id();
        assertThat(alice.sent.subList(before, alice.sent.size())).filteredOn(n -> n.path("type").asString().equals("slots"))
                .singleElement().satisfies(n -> {
                    assertThat(n.path("slots").get(0).path("participantId").asString()).isEqualTo(pid);
                    assertThat(n.path("slots").get(0).path("trackId").asString()).isEqualTo(earlyTrack);
                });
        gateway.onTrackEnded(ep, early);

        gateway.onRenegotiationNeeded(ep, 1, 2);
        assertThat(alice.last().path("type").asString()).isEqualTo("renegotiate");
        assertThat(alice.last().path("video").asInt()).isEqualTo(2);

        gateway.onDominantSpeaker(m.id(), pid);
        assertThat(alice.last().path("type").asString()).isEqualTo("dominant-speaker");

        gateway.onTrackEnded(ep, mic);
        assertThat(m.tracks()).isEmpty();

        gateway.onEndpointClosed(ep, "consent-timeout");
        assertThat(alice.types()).contains("media-closed");
        assertThat(alice.closeCode).isEqualTo(SignalingSession.CLOSE_MEDIA_LOST);
        assertThat(m.participantCount()).isZero();
    }

    private static List<PcmFrame> frames(List<TapEvent> events, String trackId) {
        return events.stream().filter(e -> e instanceof PcmFrame f && f.trackId().equals(trackId)).map(e -> (PcmFrame) e).toList();
    }
}
