package org.steno.simulator.media;

import java.util.Map;

/**
 * What one peer received: RTP packets, expected (from the sequence numbers) and lost over all its receive slots,
 * interarrival jitter (mean over slots and the largest), and the packets each source participant brought, by kind
 * (a slot's source is what the server's last {@code slots} message said it shows; "?" before the first).
 */
public record ReceivedMedia(long packets, long expected, long lost, double meanJitterMillis, double maxJitterMillis,
                            Map<String, Long> audioBySource, Map<String, Long> videoBySource, int streams) {

    /** Packets of {@code participantId}'s audio that came on our audio slots. */
    public long audioFrom(String participantId) {
        return audioBySource.getOrDefault(participantId, 0L);
    }

    public long videoSourcesWithAtLeast(long minPackets) {
        return videoBySource.entrySet().stream().filter(e -> !e.getKey().equals("?") && e.getValue() >= minPackets).count();
    }
}
