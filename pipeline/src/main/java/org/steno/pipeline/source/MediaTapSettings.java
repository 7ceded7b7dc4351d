package org.steno.pipeline.source;

import java.io.Serializable;

/**
 * How {@link MediaTapSource} reaches MediaTap.
 *
 * @param target         gRPC target, {@code host:port}
 * @param pollIntervalMs how often the enumerator lists meetings (discovery, and its retry while MediaTap is down)
 * @param bufferEvents   media events requested ahead per meeting: the bound on what a reader holds in memory
 * @param maxBackoffMs   cap of the reconnect backoff of a broken subscription
 */
public record MediaTapSettings(String target, long pollIntervalMs, int bufferEvents, long maxBackoffMs) implements Serializable {

    public static MediaTapSettings defaults(String target) {
        return new MediaTapSettings(target, 1000, 64, 5000);
    }
}
