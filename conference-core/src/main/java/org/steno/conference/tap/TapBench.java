package org.steno.conference.tap;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.steno.audio.Resampler;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.meeting.Participant;
import org.steno.conference.meeting.ParticipantKind;
import org.steno.conference.meeting.ParticipantRole;
import org.steno.conference.meeting.Track;
import org.steno.conference.meeting.TrackKind;
import org.steno.conference.meeting.TrackSource;

/**
 * Prints what the tap costs per speaker: Opus decode (48 kHz) + resample to 16 kHz + the
 * mix + frame fan-out to one subscriber, against a baseline of the same 16 kHz PCM pushed
 * without decoding (the ingest path). Run:
 * {@code java -cp <conference-core classpath> org.steno.conference.tap.TapBench [tracks] [seconds]}.
 */
public final class TapBench {

    private TapBench() {
    }

    public static void main(String[] args) throws Exception {
        int tracks = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int frames = seconds * 50;
        // Real speech-like input: a sweep with an envelope, encoded once per track like a browser would.
        List<byte[]> opus = new ArrayList<>();
        List<short[]> pcm16 = new ArrayList<>();
        OpusEncoder enc = new OpusEncoder(48_000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        enc.setBitrate(32_000);
        Resampler down = new Resampler(48_000, 16_000);
        short[] pcm = new short[960];
        byte[] buf = new byte[1500];
        for (int k = 0; k < frames; k++) {
            for (int i = 0; i < 960; i++) {
                double t = (k * 960 + i) / 48_000.0;
                pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * (200 + 150 * Math.sin(t)) * t) * (0.6 + 0.4 * Math.sin(3 * t)));
            }
            int n = enc.encode(pcm, 0, 960, buf, 0, buf.length);
            opus.add(java.util.Arrays.copyOf(buf, n));
            pcm16.add(down.process(pcm));
        }
        for (int round = 0; round < 2; round++) { // first round warms the JIT
            double opusMs = run(tracks, frames, opus, null);
            double pcmMs = run(tracks, frames, null, pcm16);
            if (round == 1) {
                double audioMs = tracks * seconds * 1000.0;
                System.out.printf(Locale.ROOT, "tap, %d speaker tracks x %d s (+ mix, 1 subscriber), %d cores%n",
                        tracks, seconds, Runtime.getRuntime().availableProcessors());
                System.out.printf(Locale.ROOT, "  Opus decode + resample + mix: %.0f ms CPU = %.2f %% of a core per speaker (%.1f us per 20 ms packet)%n",
                        opusMs, 100 * opusMs / audioMs, 1000 * opusMs / (tracks * (double) frames));
                System.out.printf(Locale.ROOT, "  PCM push + mix (ingest baseline): %.0f ms CPU = %.2f %% of a core per speaker%n",
                        pcmMs, 100 * pcmMs / audioMs);
                System.out.printf(Locale.ROOT, "  decode share: %.1fx the baseline%n", opusMs / pcmMs);
            }
        }
    }

    private static double run(int tracks, int frames, List<byte[]> opus, List<short[]> pcm16) {
        MeetingRegistry registry = new MeetingRegistry();
        MediaTaps taps = new MediaTaps(registry, TapSettings.defaults());
        Meeting m = registry.create("bench");
        MeetingTap tap = taps.tap(m.id()).orElseThrow();
        long[] count = new long[1];
        tap.subscribe(new TapSubscriber() {
            @Override
            public void started(TapStart start) {
            }

            @Override
            public void onEvent(TapEvent event) {
                count[0]++;
            }
        }, null);
        List<Track> ts = new ArrayList<>();
        for (int i = 0; i < tracks; i++) {
            Participant p = m.join("bench:" + i, "Speaker " + i, ParticipantRole.PARTICIPANT, ParticipantKind.BROWSER);
            ts.add(m.publish(p.id(), TrackKind.AUDIO, opus != null ? TrackSource.MICROPHONE : TrackSource.INGEST,
                    opus != null ? "audio/opus" : "audio/L16"));
        }
        long cpu0 = cpuNanos();
        for (int k = 0; k < frames; k++) {
            Duration at = Duration.ofMillis(20L * k);
            for (Track t : ts) {
                if (opus != null) {
                    tap.pushPacket(t.id(), k, 960L * k, false, at, opus.get(k));
                } else {
                    tap.pushPcm(t.id(), pcm16.get(k), at, false);
                }
            }
        }
        double ms = (cpuNanos() - cpu0) / 1e6;
        if (count[0] < (long) tracks * frames) {
            throw new IllegalStateException("frames went missing: " + count[0]);
        }
        taps.close();
        return ms;
    }

    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
