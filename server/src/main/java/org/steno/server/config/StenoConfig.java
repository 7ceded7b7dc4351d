package org.steno.server.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * Validated configuration. Built only by {@link ConfigLoader}, so every instance is usable:
 * ports are in range, the data directory is writable, URLs parse.
 */
public record StenoConfig(
        Path dataDir,
        String httpHost,
        int httpPort,
        String publicUrl,
        int grpcPort,
        int mediaPort,
        String mediaAdvertisedAddress,
        URI s3Endpoint,
        int s3Port,
        String s3Bucket,
        String s3Region,
        String s3AccessKey,
        String s3SecretKey,
        LogFormat logFormat,
        ModelsEngine modelsEngine,
        String modelsRemoteAddress,
        boolean modelsRemoteTls,
        java.nio.file.Path modelsRemoteCa,
        String grpcHost,
        boolean grpcReflection,
        String s3Host,
        String serviceToken,
        String modelsRemoteToken,
        IdentitySettings identity,
        java.time.Duration retentionRecordings,
        java.time.Duration retentionTranscripts,
        MeetingSettings meetings,
        URI modelsKyutaiUrl,
        String modelsKyutaiApiKey,
        String modelsRemoteDiarizerAddress,
        org.steno.models.whisperx.WhisperXSettings batchWhisperX) {

    public enum ModelsEngine { EMBEDDED, GRPC, KYUTAI }

    /** Where Diarizer calls go with models.engine=grpc: their own address, else the remote speech server's. */
    public String modelsDiarizerAddress() {
        return modelsRemoteDiarizerAddress == null || modelsRemoteDiarizerAddress.isEmpty() ? modelsRemoteAddress
                : modelsRemoteDiarizerAddress;
    }

    public enum LogFormat { TEXT, JSON }

    /** Whether finalized recordings are transcribed again, by WhisperX (null: models.batch.engine=embedded). */
    public boolean finalPass() {
        return batchWhisperX != null;
    }

    /** Never prints the secrets (S3 secret key, service tokens, the Kyutai and WhisperX api keys). */
    @Override
    public String toString() {
        return "StenoConfig[dataDir=" + dataDir + ", httpHost=" + httpHost + ", httpPort=" + httpPort + ", grpcHost=" + grpcHost
                + ", grpcPort=" + grpcPort + ", mediaPort=" + mediaPort + ", s3Endpoint=" + s3Endpoint + ", s3Port=" + s3Port
                + ", modelsEngine=" + modelsEngine + "]";
    }

    /** True when no external S3 endpoint is configured and Steno runs its own. */
    public boolean embeddedS3() {
        return s3Endpoint == null;
    }

    /** The URL users open; falls back to localhost on the bound port when not configured. */
    public String publicUrl(int boundHttpPort) {
        return publicUrl.isEmpty() ? "http://localhost:" + boundHttpPort : publicUrl;
    }
}
