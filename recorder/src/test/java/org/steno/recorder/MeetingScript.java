package org.steno.recorder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.steno.recorder.webm.WebmReader;

/**
 * A synthetic meeting: RTP packets of several tracks as the SFU's tap would deliver them,
 * merged in arrival order. Options add reordering and loss.
 */
final class MeetingScript {

    /** One call on {@link RecordingInput}, at a media time. */
    record Event(long mediaTime, int order, Consumer<RecordingInput> call) {
    }

    private final List<Event> events = new ArrayList<>();
    private int seq;

    void at(long mediaTime, Consumer<RecordingInput> call) {
        events.add(new Event(mediaTime, seq++, call));
    }

    /**
     * An Opus track: one packet per 20 ms from {@code startMedia}; {@code lossEvery} &gt; 0 drops every
     * n-th packet, {@code swapEvery} &gt; 0 swaps every n-th packet with the next (reordering).
     */
    void opusTrack(String participant, String name, String trackId, long ssrc, long startMedia, List<byte[]> packets,
                   int firstSeq, long firstTs, int lossEvery, int swapEvery) {
        at(startMedia, in -> in.trackStarted(participant, name, trackId, RecordingInput.Kind.AUDIO, RecordingInput.Source.MICROPHONE, "opus", 48000,
                startMedia));
        List<long[]> order = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            order.add(new long[] {i});
        }
        if (swapEvery > 0) {
            for (int i = swapEvery; i + 1 < order.size(); i += swapEvery) {
                long[] t = order.get(i);
                order.set(i, order.get(i + 1));
                order.set(i + 1, t);
            }
        }
        for (int k = 0; k < order.size(); k++) {
            int i = (int) order.get(k)[0];
            if (lossEvery > 0 && i % lossEvery == lossEvery - 1) {
                continue;
            }
            byte[] p = packets.get(i);
            int s = (firstSeq + i) & 0xffff;
            long ts = (firstTs + 960L * i) & 0xffffffffL;
            // Arrival: send time plus a little jitter, in the order given.
            long media = startMedia + 20_000L * k + 3_000L * (k % 3);
            at(media, in -> in.packet(trackId, ssrc, s, ts, true, p, media));
        }
    }

    /** A VP8 camera track at {@code fps}, each frame split into payloads of {@code mtu} bytes. */
    void vp8Track(String participant, String name, String trackId, long ssrc, long startMedia,
                  List<WebmReader.Frame> frames, int fps, int mtu) {
        vp8Track(participant, name, trackId, RecordingInput.Source.CAMERA, ssrc, startMedia, frames, fps, mtu);
    }

    /** A VP8 track of a camera or a shared screen. */
    void vp8Track(String participant, String name, String trackId, RecordingInput.Source source, long ssrc,
                  long startMedia, List<WebmReader.Frame> frames, int fps, int mtu) {
        at(startMedia, in -> in.trackStarted(participant, name, trackId, RecordingInput.Kind.VIDEO, source, "VP8", 90000,
                startMedia));
        int s = 65000;
        for (int i = 0; i < frames.size(); i++) {
            long ts = 90_000L / fps * i + 12345;
            long media = startMedia + 1_000_000L / fps * i;
            List<byte[]> payloads = Vp8Source.packetize(frames.get(i).data(), mtu);
            for (int j = 0; j < payloads.size(); j++) {
                byte[] p = payloads.get(j);
                int sq = s++ & 0xffff;
                boolean marker = j == payloads.size() - 1;
                long m = media + j * 100L;
                at(m, in -> in.packet(trackId, ssrc, sq, ts, marker, p, m));
            }
        }
    }

    /** Sends everything in media-time order. */
    void play(RecordingInput input) {
        events.sort(Comparator.comparingLong(Event::mediaTime).thenComparingInt(Event::order));
        for (Event e : events) {
            e.call.accept(input);
        }
    }

    List<Event> events() {
        events.sort(Comparator.comparingLong(Event::mediaTime).thenComparingInt(Event::order));
        return events;
    }
}
