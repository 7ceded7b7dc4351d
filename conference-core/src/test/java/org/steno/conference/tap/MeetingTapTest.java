package org.steno.conference.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.meeting.Participant;
import org.steno.conference.meeting.ParticipantKind;
import org.steno.conference.meeting.ParticipantRole;
import org.steno.conference.meeting.Track;
import org.steno.conference.meeting.TrackKind;
import org.steno.conference.meeting.TrackSource;

class MeetingTapTest {

    private final MeetingRegistry registry = new MeetingRegistry();
    private final MediaTaps taps = new MediaTaps(registry, TapSettings.defaults());
    private final Meeting meeting = registry.create("tap");
    private final MeetingTap tap = taps.tap(meeting.id()).orElseThrow();

    static final class Recorder implements TapSubscriber {
        final List<TapEvent> events = new CopyOnWriteArrayList<>();
        TapStart start;

        @Override
        public void started(TapStart s) {
            start = s;
        }

        @Override
        public void onEvent(TapEvent e) {
            events.add(e);
        }

        List<PcmFrame> frames(String trackId) {
            return events.stream().filter(e -> e instanceof PcmFrame f && f.trackId().equals(trackId)).map(e -> (PcmFrame) e).toList();
        }
    }

    @Test
    void opusPacketsAreDecodedTo16kPcmWithMediaTimeAndPacketsReachTheRecorder() throws Exception {
        Participant p = meeting.join("guest:a", "Alice", ParticipantRole.HOST, ParticipantKind.BROWSER);
        Track mic = meeting.publish(p.id(), TrackKind.AUDIO, TrackSource.MICROPHONE, "audio/opus");
        Recorder sub = new Recorder();
        tap.subscribe(sub, null);
        List<MediaPacket> packets = new CopyOnWriteArrayList<>();
        tap.addPacketListener(packets::add);

        OpusEncoder enc = new OpusEncoder(48_000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        enc.setBitrate(32_000);
        Duration t0 = Duration.ofMillis(5000);
        short[] pcm = new short[960];
        byte[] out = new byte[1500];
        for (int k = 0; k < 100; k++) { // 2 s of a 500 Hz tone
            for (int i = 0; i < 960; i++) {
                pcm[i] = (short) (6000 * Math.sin(2 * Math.PI * 500 * (k * 960 + i) / 48_000.0));
            }
            int n = enc.encode(pcm, 0, 960, out, 0, out.length);
            tap.pushPacket(mic.id(), 1000 + k, 960L * k, false, t0.plusMillis(20L * k), java.util.Arrays.copyOf(out, n));
        }
        assertThat(packets).hasSize(100);
        assertThat(packets.get(0).codec()).isEqualTo("audio/opus");
        assertThat(packets.get(99).sequence()).isEqualTo(99);

        List<PcmFrame> frames = sub.frames(mic.id());
        assertThat(frames).hasSizeGreaterThan(95);
        assertThat(frames.get(0).mediaTime()).isEqualTo(t0);
        assertThat(frames.get(0).speakerDisplayName()).isEqualTo("Alice");
        long samples = 0;
        for (int i = 0; i < frames.size(); i++) {
            PcmFrame f = frames.get(i);
            assertThat(f.sequence()).isEqualTo(i);
            // Contiguous: each frame starts where the previous ended.
            assertThat(f.mediaTime()).isEqualTo(t0.plusNanos(samples * 1_000_000_000L / 16_000));
            samples += f.samples().length;
        }
        assertThat(samples).isBetween(31_900L, 32_000L);
        PcmFrame mid = frames.get(50);
        assertThat(mid.levelDbov()).isBetween(-19f, -12f); // 6000/32768 sine ≈ −17.7 dBov
        int crossings = 0;
        short[] s = mid.samples();
        for (int i = 1; i < s.length; i++) {
            if ((s[i - 1] < 0) != (s[i] < 0)) {
                crossings++;
            }
        }
        assertThat(crossings).isBetween(18, 22); // 500 Hz over 20 ms = 20 crossings

        // Garbage packets are dropped without an exception into the media path.
        tap.pushPacket(mic.id(), 2000, 0, false, t0.plusSeconds(3), new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2, 3});
        tap.pushPacket(mic.id(), 2001, 0, false, t0.plusSeconds(3), new byte[0]);
    }

    @Test
    void mutedAndUnknownTracksYieldNothingAndTheMixSumsSpeakers() {
        Participant a = meeting.join("a", "A", ParticipantRole.HOST, ParticipantKind.INGEST);
        Participant b = meeting.join("b", "B", ParticipantRole.PARTICIPANT, ParticipantKind.INGEST);
        Track ta = meeting.publish(a.id(), TrackKind.AUDIO, TrackSource.INGEST, "audio/L16");
        Track tb = meeting.publish(b.id(), TrackKind.AUDIO, TrackSource.INGEST, "audio/L16");
        Recorder sub = new Recorder();
        tap.subscribe(sub, null);
        short[] hundred = new short[320];
        java.util.Arrays.fill(hundred, (short) 100);
        short[] thirty = new short[320];
        java.util.Arrays.fill(thirty, (short) 30);
        // Media times ahead of the meeting's clock, so only the two speakers' audio releases a slot: from 0, a slow
        // start (the clock 200 ms past a slot) would release slot 0 with A alone before B's first frame is pushed.
        Duration base = Duration.ofMillis((meeting.mediaTimeAt(System.nanoTime()).toMillis() / 20 + 250) * 20); // on a 20 ms slot
        for (int k = 0; k < 50; k++) {
            Duration at = base.plusMillis(20L * k);
            assertThat(tap.pushPcm(ta.id(), hundred, at, false)).isTrue();
            assertThat(tap.pushPcm(tb.id(), thirty, at, false)).isTrue();
        }
        assertThat(tap.pushPcm("t99", hundred, Duration.ZERO, false)).isFalse();
        meeting.setMuted(tb.id(), true);
        assertThat(tap.pushPcm(tb.id(), thirty, base.plusSeconds(1), false)).isFalse();
        meeting.leave(a.id(), org.steno.conference.meeting.LeaveReason.LEFT);
        List<PcmFrame> mix = sub.frames(MeetingTap.MIX_TRACK_ID);
        assertThat(mix).hasSize(50);
        assertThat(mix).allSatisfy(f -> {
            assertThat(f.mix()).isTrue();
            assertThat(f.samples()).containsOnly((short) 130);
        });
        assertThat(mix.get(49).sequence()).isEqualTo(49);
        assertThat(sub.events).anyMatch(e -> e instanceof TapEvent.TrackChange c && c.kind() == TapEvent.TrackChange.Kind.MUTED);
    }

    @Test
    void packetsOfAnyTrackAndRegistryChangesRunConcurrentlyWithoutDeadlock() throws Exception {
        Participant p = meeting.join("guest:v", "Vera", ParticipantRole.HOST, ParticipantKind.BROWSER);
        Track cam = meeting.publish(p.id(), TrackKind.VIDEO, TrackSource.CAMERA, "video/VP8");
        Track mic = meeting.publish(p.id(), TrackKind.AUDIO, TrackSource.MICROPHONE, "audio/L16");
        tap.subscribe(new Recorder(), null);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread media = new Thread(() -> {
            int k = 0;
            while (!stop.get()) {
                tap.pushPacket(cam.id(), k, 3000L * k, true, Duration.ofMillis(33L * k), new byte[] {1, 2, 3});
                tap.pushPcm(mic.id(), new short[320], Duration.ofMillis(20L * k), false);
                k++;
            }
        });
        media.start();
        // Registry changes take the meeting's lock, then the tap's; packets must never take them the other way.
        for (int i = 0; i < 2000; i++) {
            Participant q = meeting.join("guest:" + i, "G" + i, ParticipantRole.PARTICIPANT, ParticipantKind.BROWSER);
            Track t = meeting.publish(q.id(), TrackKind.VIDEO, TrackSource.CAMERA, "video/VP8");
            meeting.unpublish(t.id());
            meeting.leave(q.id(), org.steno.conference.meeting.LeaveReason.LEFT);
        }
        stop.set(true);
        media.join(10_000);
        assertThat(media.isAlive()).isFalse();
    }

    @Test
    void heartbeatsFlowWhileNobodySpeaks() throws Exception {
        MediaTaps ticking = new MediaTaps(registry, new TapSettings(Duration.ofSeconds(30), 1000, Duration.ofMillis(50), Duration.ofMillis(200)));
        ticking.start();
        try {
            Recorder sub = new Recorder();
            ticking.tap(meeting.id()).orElseThrow().subscribe(sub, null);
            Thread.sleep(400);
            List<TapEvent> hbs = sub.events.stream().filter(e -> e instanceof TapEvent.Heartbeat).toList();
            assertThat(hbs.size()).isGreaterThanOrEqualTo(3);
            assertThat(hbs.get(hbs.size() - 1).mediaTime()).isGreaterThan(hbs.get(0).mediaTime());
        } finally {
            ticking.close();
        }
    }
}
