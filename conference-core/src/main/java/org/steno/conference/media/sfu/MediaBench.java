package org.steno.conference.media.sfu;

import java.io.PrintStream;
import java.util.Locale;
import org.steno.conference.media.MediaKind;
import org.steno.conference.media.TrackInfo;
import org.steno.conference.media.rtp.RtpPacket;
import org.steno.conference.media.rtp.Vp8Descriptor;
import org.steno.conference.media.rtp.RtpWriter;
import org.steno.conference.media.srtp.SrtpContext;
import org.steno.conference.media.srtp.SrtpProfile;

/**
 * Measures the per-packet cost of the SFU forwarding path on one thread — SRTP decrypt, RTP parse, down-track
 * rewrite (munger, header extensions, cache), SRTP encrypt — for both SRTP profiles, against a baseline that only
 * copies the datagram. Prints ns/packet, packets/s per core and the ratio to the baseline.
 *
 * <p>Usage: {@code steno bench-media [packets]} (default 20000 per round, 5 rounds, the first discarded).
 */
public final class MediaBench {

    private MediaBench() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        int packets = 20_000;
        if (args.length > 0) {
            try {
                packets = Integer.parseInt(args[0]);
            } catch (NumberFormatException e) {
                err.println("bench-media takes one optional argument, the packet count per round (a number).");
                return 2;
            }
            if (packets < 1000 || packets > 1_000_000) {
                err.println("bench-media packet count must be between 1000 and 1000000.");
                return 2;
            }
        }
        out.printf(Locale.ROOT, "steno media forwarding bench: %d packets/round, %d cores%n", packets,
                Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "%-34s %10s %14s %10s%n", "path", "ns/packet", "packets/s/core", "x baseline");
        for (int size : new int[] {100, 1100}) {
            double base = measure(null, size, packets, true);
            row(out, "copy only (baseline), " + size + " B", base, base);
            for (SrtpProfile p : SrtpProfile.values()) {
                double ns = measure(p, size, packets, false);
                row(out, "forward " + p.name().replace("_HMAC_SHA1", "") + ", " + size + " B", ns, base);
            }
        }
        return 0;
    }

    private static void row(PrintStream out, String name, double ns, double base) {
        out.printf(Locale.ROOT, "%-34s %10.0f %14.0f %10.1f%n", name, ns, 1e9 / ns, ns / base);
    }

    /** Median ns/packet over 4 measured rounds (after one warm-up round). */
    private static double measure(SrtpProfile profile, int payloadSize, int packets, boolean baselineOnly) {
        SrtpProfile p = profile != null ? profile : SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        byte[] key = new byte[p.keyLength()];
        byte[] salt = new byte[p.saltLength()];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (31 * i + 7);
        }
        SrtpContext publisher = new SrtpContext(p, key, salt);
        byte[] payload = new byte[payloadSize];
        byte[][] wire = new byte[packets][];
        for (int i = 0; i < packets; i++) {
            byte[] plain = RtpWriter.write(96, i % 30 == 0, i & 0xFFFF, 3000L * i, 0x1234,
                    new RtpWriter.Extension[] {RtpWriter.Extension.mid(4, "1")}, payload, 0, payload.length);
            wire[i] = publisher.protectRtp(plain, 0, plain.length);
        }
        double[] rounds = new double[5];
        for (int round = 0; round < rounds.length; round++) {
            SrtpContext inbound = new SrtpContext(p, key, salt);
            SrtpContext outbound = new SrtpContext(p, key, salt);
            TrackInfo info = new TrackInfo("bench/1", "bench", "bench", MediaKind.VIDEO, "VP8", 90000, "1");
            Receiver source = new Receiver(info, null, 96, 0x1234);
            DownTrack down = new DownTrack(null, "3", MediaKind.VIDEO, "VP8", 90000, 96);
            down.midExtId = 4;
            down.bind(source);
            long sink = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < packets; i++) {
                byte[] d = wire[i].clone(); // the socket reader's copy
                if (baselineOnly) {
                    sink += d[d.length - 1];
                    continue;
                }
                int n = inbound.unprotectRtp(d, 0, d.length);
                RtpPacket rtp = RtpPacket.parse(d, 0, n);
                long ext = source.primary().onPacket(rtp.sequenceNumber(), rtp.timestamp(), n, System.nanoTime());
                Vp8Descriptor vp8 = Vp8Descriptor.parse(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength());
                byte[] plain = down.rewrite(source.primary(), rtp, vp8, ext, -1, System.nanoTime());
                byte[] enc = outbound.protectRtp(plain, 0, plain.length);
                sink += enc.length;
            }
            rounds[round] = (System.nanoTime() - t0) / (double) packets;
            if (sink == 42) {
                System.out.print(""); // keep the loop alive
            }
        }
        double[] measured = java.util.Arrays.copyOfRange(rounds, 1, rounds.length);
        java.util.Arrays.sort(measured);
        return (measured[1] + measured[2]) / 2;
    }
}
