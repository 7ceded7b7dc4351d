package org.steno.archive.bucket;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The finished transcripts in the bucket, following the storage layout (ARCHITECTURE.md,
 * "Storage"): {@code meetings/<meetingId>/transcripts/<transcriptId>/transcript.json}, written
 * last of a transcript's files, so its presence means the set is complete.
 */
public final class TranscriptBucket {

    private static final String ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
    private static final Pattern KEY = Pattern.compile("meetings/(" + ID + ")/transcripts/(" + ID + ")/transcript\\.json");

    private final Supplier<S3Client> client;
    private final Supplier<String> bucket;

    public TranscriptBucket(Supplier<S3Client> client, Supplier<String> bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    /** Where a stored transcript is: its key, meeting and transcript ids. */
    public record Location(String key, String meetingId, String transcriptId) {
    }

    /** The location a key names, or null when it is not a finished transcript. */
    public static Location locate(String key) {
        Matcher m = KEY.matcher(key);
        if (!m.matches() || key.contains("..")) {
            return null;
        }
        return new Location(key, m.group(1), m.group(2));
    }

    /**
     * Every finished transcript's key and ETag (the version: a rewrite changes it). One listing of
     * {@code meetings/}, page by page.
     */
    public Map<String, String> list() {
        Map<String, String> out = new LinkedHashMap<>();
        S3Client c = client.get();
        String b = bucket.get();
        for (S3Object o : c.listObjectsV2Paginator(r -> r.bucket(b).prefix("meetings/")).contents()) {
            if (o.key().endsWith("/transcript.json") && locate(o.key()) != null) {
                out.put(o.key(), o.eTag());
            }
        }
        return out;
    }

    /** One transcript.json as text. */
    public String read(String key) {
        return client.get().getObjectAsBytes(r -> r.bucket(bucket.get()).key(key)).asUtf8String();
    }
}
