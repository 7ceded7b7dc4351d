package org.steno.pipeline.transcript;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.subtitles.render.SrtRenderer;
import org.steno.subtitles.render.TextRenderer;
import org.steno.subtitles.render.WebVttRenderer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Stores a finished transcript as the archive reads it: {@code transcript.vtt}, {@code .srt},
 * {@code .txt} (subtitle-service's renderers), then {@code transcript.json} last, so that the JSON
 * appearing means the set is complete. Used by the live pipeline's writer and the final pass.
 */
public final class TranscriptFiles {

    private TranscriptFiles() {
    }

    /** Writes the set under {@code meetings/<meeting>/transcripts/<transcript>/}; returns the JSON's key. */
    public static String store(S3Client client, String bucket, Transcript t) throws InvalidProtocolBufferException {
        String m = t.getMeetingId();
        String id = t.getTranscriptId();
        put(client, bucket, TranscriptKeys.file(m, id, "vtt"), WebVttRenderer.render(t), "text/vtt; charset=utf-8");
        put(client, bucket, TranscriptKeys.file(m, id, "srt"), SrtRenderer.render(t), "application/x-subrip; charset=utf-8");
        put(client, bucket, TranscriptKeys.file(m, id, "txt"), TextRenderer.render(t), "text/plain; charset=utf-8");
        String key = TranscriptKeys.file(m, id, "json");
        put(client, bucket, key, JsonFormat.printer().print(t), "application/json");
        return key;
    }

    static void put(S3Client client, String bucket, String key, String body, String contentType) {
        client.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(body.getBytes(StandardCharsets.UTF_8)));
    }
}
