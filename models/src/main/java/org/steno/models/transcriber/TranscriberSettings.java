package org.steno.models.transcriber;

import org.steno.models.asr.AsrModelPaths;

/**
 * How the embedded transcriber runs.
 *
 * @param model            pocketsphinx model files
 * @param maxDecoders      decoders alive at once (≈110 MB each): the number of concurrent streams
 * @param warmDecoders     idle decoders kept ready so a new stream starts without the 0.5 s init
 * @param maxWaiting       streams allowed to queue for a decoder; more get RESOURCE_EXHAUSTED at once
 * @param decodeThreads    threads decoding audio (one core each)
 * @param acquireTimeoutMs how long a stream waits for a decoder before RESOURCE_EXHAUSTED
 * @param allowFileUris    whether Recognize may read {@code file://} URIs on this host
 */
public record TranscriberSettings(AsrModelPaths model, int maxDecoders, int warmDecoders, int maxWaiting,
        int decodeThreads, long acquireTimeoutMs, boolean allowFileUris) {

    public static TranscriberSettings defaults() {
        return new TranscriberSettings(AsrModelPaths.debianEnUs(), 4, 1, 64,
                Math.max(1, Runtime.getRuntime().availableProcessors()), 10_000, false);
    }

    public TranscriberSettings withMaxDecoders(int n) {
        return new TranscriberSettings(model, n, Math.min(warmDecoders, n), maxWaiting, decodeThreads, acquireTimeoutMs, allowFileUris);
    }

    public TranscriberSettings withAllowFileUris(boolean allow) {
        return new TranscriberSettings(model, maxDecoders, warmDecoders, maxWaiting, decodeThreads, acquireTimeoutMs, allow);
    }

    public TranscriberSettings withModel(AsrModelPaths paths) {
        return new TranscriberSettings(paths, maxDecoders, warmDecoders, maxWaiting, decodeThreads, acquireTimeoutMs, allowFileUris);
    }

    public TranscriberSettings withAcquireTimeoutMs(long ms) {
        return new TranscriberSettings(model, maxDecoders, warmDecoders, maxWaiting, decodeThreads, ms, allowFileUris);
    }
}
