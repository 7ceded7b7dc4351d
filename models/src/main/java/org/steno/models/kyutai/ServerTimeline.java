package org.steno.models.kyutai;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps the times of one connection (seconds of 24 kHz audio the server received, counted from the
 * connection's first sample) to offsets of our stream (16 kHz samples from the stream's first sample).
 * They differ by the stream offset at which the connection began (a stream reconnects after the
 * server dropped an idle connection) and by the silence we inserted: the leading second Kyutai's
 * clients send, the zeros completing a frame, and the silence around a marker. Inserted silence is
 * not audio of the stream, so a time inside it maps to the end of the audio before it.
 */
final class ServerTimeline {

    static final int SERVER_RATE = 24_000;
    static final int STREAM_RATE = 16_000;

    private final long base16;
    private final List<long[]> silences = new ArrayList<>(); // {start24, length24}, in sending order
    private long sent24;
    private long silent24;

    ServerTimeline(long base16) {
        this.base16 = base16;
    }

    void audioSent(int samples24) {
        sent24 += samples24;
    }

    void silenceSent(int samples24) {
        if (!silences.isEmpty()) {
            long[] last = silences.get(silences.size() - 1);
            if (last[0] + last[1] == sent24) {
                last[1] += samples24;
                sent24 += samples24;
                silent24 += samples24;
                return;
            }
        }
        silences.add(new long[] {sent24, samples24});
        sent24 += samples24;
        silent24 += samples24;
    }

    long sent24() {
        return sent24;
    }

    /** Stream offset (16 kHz samples) of a server time in seconds. */
    long toStream16(double seconds) {
        long t24 = Math.round(seconds * SERVER_RATE);
        long inserted = 0;
        for (long[] s : silences) {
            if (s[0] >= t24) {
                break;
            }
            inserted += Math.min(s[1], t24 - s[0]);
        }
        long audio24 = Math.max(0, t24 - inserted);
        return base16 + audio24 * STREAM_RATE / SERVER_RATE;
    }

    /** Audio (not silence) sent, in stream samples: where this connection's audio ends. */
    long audioEnd16() {
        return base16 + (sent24 - silent24) * STREAM_RATE / SERVER_RATE;
    }
}
