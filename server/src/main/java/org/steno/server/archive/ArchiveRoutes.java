package org.steno.server.archive;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import org.steno.access.Action;
import org.steno.server.http.GuardedRoutes;
import org.steno.server.http.Route;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.server.http.HttpRoutes;
import org.steno.server.storage.S3Storage;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * After the meeting: what the bucket holds for it, and its files.
 *
 * <ul>
 *   <li>{@code GET /api/meetings/<id>/archive}: the meeting's finished transcripts (status,
 *       speakers, the four formats), finalized recordings (from their manifests) and chat files
 *       ({@code chat.json}, {@code chat-<n>.json}), each file with its download URL;</li>
 *   <li>{@code GET /api/meetings/<id>/archive/<path>}: one of those files, streamed from S3,
 *       with HTTP ranges (so a browser can seek in a recording). Only finished files can be
 *       fetched: segments, parts and spool objects are the pipeline's and recorder's business.</li>
 *   <li>{@code GET /m/<id>/archive}: the page that shows them.</li>
 * </ul>
 *
 * Reads storage only, following the layout in ARCHITECTURE.md ("Storage"); the access check
 * (DOWNLOAD on the meeting) is {@code HttpGuard}'s.
 */
public final class ArchiveRoutes implements HttpRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveRoutes.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Supplier<S3Storage> storage;
    private final Retention retention;

    /**
     * When a meeting's files will be deleted: the policy it follows, its legal hold if any, and who
     * may change its periods (the listing then says so, for the page's form).
     */
    public record Retention(RetentionPolicies policies,
                            java.util.function.Function<String, java.util.Optional<org.steno.identity.LegalHolds.Hold>> holdOf,
                            java.util.function.BiPredicate<org.steno.access.Caller, String> mayChange) {
    }

    /** Whether a caller may export a meeting's evidence: the listing then links to it. */
    private final java.util.function.BiPredicate<org.steno.access.Caller, String> mayExport;

    /** What the meetings run here still owe the archive (the listing says "ready by …"). */
    private final MeetingOutputs outputs;

    public ArchiveRoutes(Supplier<S3Storage> storage, Retention retention) {
        this(storage, retention, (caller, meeting) -> false, MeetingOutputs.none());
    }

    public ArchiveRoutes(Supplier<S3Storage> storage, Retention retention,
                         java.util.function.BiPredicate<org.steno.access.Caller, String> mayExport,
                         MeetingOutputs outputs) {
        this.storage = storage;
        this.retention = retention;
        this.mayExport = mayExport;
        this.outputs = outputs;
    }

    @Override
    public void register(GuardedRoutes routes) {
        routes.get("/api/meetings/{id}/archive", Action.DOWNLOAD, Route.On.MEETING, this::list);
        routes.get("/api/meetings/{id}/archive/<path>", Action.DOWNLOAD, Route.On.MEETING, this::download);
        routes.head("/api/meetings/{id}/archive/<path>", Action.DOWNLOAD, Route.On.MEETING, this::head);
        // The page is a shell: what it shows comes from the API above, judged there.
        routes.get("/m/{id}/archive", Action.VIEW, Route.On.MEETING, this::page);
    }

    private void list(Context ctx) {
        String meeting = ctx.pathParam("id");
        if (!ArchivePaths.isSafeId(meeting)) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "not a meeting id: " + meeting));
            return;
        }
        S3Storage s = storage.get();
        String bucket = s.target().bucket();
        try {
            S3Client client = s.client();
            List<Map<String, Object>> transcripts = new ArrayList<>();
            List<Map<String, Object>> recordings = new ArrayList<>();
            List<Map<String, Object>> chats = new ArrayList<>();
            for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(ArchivePaths.meetingPrefix(meeting)))
                    .contents()) {
                String path = o.key().substring(ArchivePaths.meetingPrefix(meeting).length());
                ArchivePaths.Finished f = ArchivePaths.finished(path);
                if (f == null) {
                    continue;
                }
                if (f.transcriptId() != null && path.endsWith("/transcript.json")) {
                    transcripts.add(transcript(ctx, meeting, f.transcriptId(), client.getObjectAsBytes(
                            b -> b.bucket(bucket).key(o.key())).asUtf8String()));
                } else if (f.recordingId() != null && path.endsWith("/manifest.json")) {
                    recordings.add(recording(ctx, meeting, f.recordingId(), client.getObjectAsBytes(
                            b -> b.bucket(bucket).key(o.key())).asUtf8String()));
                } else if (f.chat()) {
                    chats.add(Map.of("name", path, "bytes", o.size(), "url", url(ctx, meeting, path)));
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("meetingId", meeting);
            java.util.Optional<org.steno.identity.LegalHolds.Hold> hold = retention.holdOf().apply(meeting);
            out.put("hold", hold.map(HoldRoutes::json).orElse(null));
            RetentionPolicies.Effective policy = retention.policies().of(meeting);
            Map<String, Object> kept = new LinkedHashMap<>(policy.json());
            kept.put("editable", retention.mayChange().test(org.steno.server.http.HttpGuard.caller(ctx), meeting));
            out.put("retention", kept);
            List<java.time.Instant> written = new ArrayList<>();
            // What retention will delete, and when; nothing while the meeting is held.
            // The newest version first: the final ones, then the live ones, each newest first.
            transcripts.sort(java.util.Comparator.comparing((Map<String, Object> x) -> !"final".equals(x.get("version")))
                    .thenComparing(x -> x.get("writtenAt") == null ? java.time.Instant.MIN : java.time.Instant.parse((String) x.get("writtenAt")),
                            java.util.Comparator.reverseOrder()));
            for (Map<String, Object> t : transcripts) {
                Object writtenAt = t.remove("writtenAt");
                if (writtenAt != null) {
                    written.add(java.time.Instant.parse((String) writtenAt));
                }
                t.put("deletesAt", hold.isPresent() || writtenAt == null ? null
                        : policy.policy().transcriptDeletedAt(java.time.Instant.parse((String) writtenAt)).toString());
            }
            for (Map<String, Object> r : recordings) {
                String started = (String) r.getOrDefault("startedAt", "");
                r.put("deletesAt", hold.isPresent() || started.isEmpty() ? null
                        : policy.policy().recordingDeletedAt(java.time.Instant.parse(started)).toString());
            }
            // While the meeting runs or its files are being finalized, the page says so and when they will be ready.
            out.put("processing", outputs.processing(meeting, written,
                    recordings.stream().map(r -> (String) r.get("recordingId")).toList()).orElse(null));
            out.put("transcripts", transcripts);
            out.put("recordings", recordings);
            out.put("chats", chats);
            // The evidence export (EvidenceRoutes), linked for those the policy lets export it; judged again there.
            out.put("evidence", mayExport.test(org.steno.server.http.HttpGuard.caller(ctx), meeting)
                    ? "/api/meetings/" + meeting + "/evidence.zip" : null);
            ctx.json(out);
        } catch (SdkException | IllegalStateException e) {
            storageDown(ctx, e);
        }
    }

    private static Map<String, Object> transcript(Context ctx, String meeting, String transcriptId, String json) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("transcriptId", transcriptId);
        // final-<recording>: the pass over the recording after the meeting; the others are the live pipeline's.
        t.put("version", org.steno.storage.TranscriptVersions.versionOf(transcriptId));
        try {
            Transcript.Builder b = Transcript.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(json, b);
            t.put("status", b.getStatus().name());
            t.put("language", b.getLanguageCode());
            if (b.hasCreateTime()) {
                t.put("writtenAt", com.google.protobuf.util.Timestamps.toString(b.getCreateTime()));
            }
            if (b.hasMeetingStartTime()) {
                // Transcript times count from here; the page aligns a recording's player with it.
                t.put("meetingStartTime", com.google.protobuf.util.Timestamps.toString(b.getMeetingStartTime()));
            }
            t.put("speakers", b.getSpeakersList().stream().map(Speaker::getDisplayName).distinct().toList());
            t.put("segments", b.getSegmentsCount());
            t.put("gaps", b.getGapsCount());
        } catch (InvalidProtocolBufferException e) {
            // Still listed: the files are there, and a person can look at them.
            t.put("error", "transcript.json is not a readable Transcript: " + e.getMessage());
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (String format : ArchivePaths.TRANSCRIPT_FORMATS) {
            files.put(format, url(ctx, meeting, "transcripts/" + transcriptId + "/transcript." + format));
        }
        t.put("files", files);
        return t;
    }

    private static Map<String, Object> recording(Context ctx, String meeting, String recordingId, String json) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("recordingId", recordingId);
        r.put("manifest", url(ctx, meeting, "recordings/" + recordingId + "/manifest.json"));
        JsonNode m;
        try {
            m = JSON.readTree(json);
        } catch (JacksonException e) {
            r.put("error", "manifest.json is not readable JSON: " + e.getOriginalMessage());
            return r;
        }
        r.put("startedAt", m.path("startedAt").asString(""));
        r.put("durationMs", m.path("durationMs").asLong(0));
        r.put("complete", m.path("complete").asBoolean(false));
        List<Map<String, Object>> files = new ArrayList<>();
        String prefix = ArchivePaths.meetingPrefix(meeting);
        for (JsonNode f : m.path("files")) {
            String key = f.path("key").asString("");
            // A manifest names keys; only those that are this recording's finished files are offered.
            if (!key.startsWith(prefix)) {
                continue;
            }
            String path = key.substring(prefix.length());
            ArchivePaths.Finished fin = ArchivePaths.finished(path);
            if (fin == null || !recordingId.equals(fin.recordingId())) {
                continue;
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("kind", f.path("kind").asString(""));
            // microphone, camera or screen (a shared screen is a video file of its own); empty for the mix
            e.put("source", f.path("source").asString(""));
            e.put("displayName", f.path("displayName").asString(""));
            e.put("codec", f.path("codec").asString(""));
            e.put("offsetMs", f.path("offsetMs").asLong(0));
            e.put("durationMs", f.path("durationMs").asLong(0));
            e.put("bytes", f.path("bytes").asLong(0));
            e.put("url", url(ctx, meeting, path));
            files.add(e);
        }
        r.put("files", files);
        return r;
    }

    private static String url(Context ctx, String meeting, String path) {
        return "/api/meetings/" + meeting + "/archive/" + path;
    }

    private void download(Context ctx) {
        String meeting = ctx.pathParam("id");
        String path = ctx.pathParam("path");
        if (!ArchivePaths.isSafeId(meeting) || ArchivePaths.finished(path) == null) {
            ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "only a meeting's finished transcripts ("
                    + "transcripts/<id>/transcript.json|vtt|srt|txt|rttm) and recording files (recordings/<id>/manifest.json, "
                    + "mixed.ogg|m4a, tracks/<track>/track.ogg|webm) and its chat (chat.json) can be downloaded; not " + path));
            return;
        }
        S3Storage s = storage.get();
        String key = ArchivePaths.meetingPrefix(meeting) + path;
        ByteRange range = ByteRange.parse(ctx.header("Range"));
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s.client().getObject(b -> {
                b.bucket(s.target().bucket()).key(key);
                if (range != null) {
                    b.range(range.header());
                }
            });
        } catch (NoSuchKeyException e) {
            byte[] made;
            try {
                made = renderMissing(s, meeting, path);
            } catch (SdkException | IllegalStateException down) {
                storageDown(ctx, down);
                return;
            }
            if (made == null) {
                ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "no such file in meeting " + meeting + ": " + path));
                return;
            }
            // A format the bucket lacks, made from transcript.json: whole, whatever range was asked.
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Content-Disposition", ArchivePaths.disposition(meeting, path));
            ctx.contentType(ArchivePaths.contentType(path)).result(made);
            return;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 416) {
                ctx.status(HttpStatus.RANGE_NOT_SATISFIABLE).json(Map.of("error", "the range is outside the file"));
                return;
            }
            storageDown(ctx, e);
            return;
        } catch (SdkException | IllegalStateException e) {
            storageDown(ctx, e);
            return;
        }
        GetObjectResponse head = in.response();
        // The length and ranges below are the stored object's: Javalin must not gzip the body.
        ctx.disableCompression();
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Disposition", ArchivePaths.disposition(meeting, path));
        ctx.contentType(ArchivePaths.contentType(path));
        if (range != null && head.contentRange() != null) {
            ctx.status(HttpStatus.PARTIAL_CONTENT);
            ctx.header("Content-Range", head.contentRange());
        }
        if (head.contentLength() != null) {
            ctx.header("Content-Length", Long.toString(head.contentLength()));
        }
        // Streamed, not buffered: a recording can be large. Javalin closes the stream when done.
        ctx.result(in);
    }

    private void page(Context ctx) throws IOException {
        try (InputStream in = ArchiveRoutes.class.getResourceAsStream("/web/archive.html")) {
            if (in == null) {
                ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(Map.of("error", "the archive page is missing from this build"));
                return;
            }
            ctx.contentType("text/html; charset=utf-8").result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * HEAD of a file: the same checks and headers as a download, without the body. (Javalin
     * would otherwise answer every HEAD on the GET route with an empty 200, even for no file.)
     */
    private void head(Context ctx) {
        String meeting = ctx.pathParam("id");
        String path = ctx.pathParam("path");
        if (!ArchivePaths.isSafeId(meeting) || ArchivePaths.finished(path) == null) {
            ctx.status(HttpStatus.NOT_FOUND);
            return;
        }
        S3Storage s = storage.get();
        try {
            var h = s.client().headObject(b -> b.bucket(s.target().bucket()).key(ArchivePaths.meetingPrefix(meeting) + path));
            ctx.header("Accept-Ranges", "bytes");
            ctx.header("Content-Disposition", ArchivePaths.disposition(meeting, path));
            ctx.header("Content-Length", Long.toString(h.contentLength()));
            ctx.contentType(ArchivePaths.contentType(path));
        } catch (NoSuchKeyException e) {
            headOfMissing(ctx, s, meeting, path);
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                headOfMissing(ctx, s, meeting, path);
                return;
            }
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE);
        } catch (SdkException | IllegalStateException e) {
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE);
        }
    }

    private static void headOfMissing(Context ctx, S3Storage s, String meeting, String path) {
        byte[] made;
        try {
            made = renderMissing(s, meeting, path);
        } catch (SdkException | IllegalStateException down) {
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE);
            return;
        }
        if (made == null) {
            ctx.status(HttpStatus.NOT_FOUND);
            return;
        }
        ctx.header("Content-Disposition", ArchivePaths.disposition(meeting, path));
        ctx.header("Content-Length", Long.toString(made.length));
        ctx.contentType(ArchivePaths.contentType(path));
    }

    /**
     * A transcript format the bucket lacks (RTTM, or one a transcript was stored without), rendered
     * from its transcript.json; null when the path is no such format or there is no readable transcript.
     */
    private static byte[] renderMissing(S3Storage s, String meeting, String path) {
        ArchivePaths.Finished f = ArchivePaths.finished(path);
        String format = path.substring(path.lastIndexOf('.') + 1);
        if (f == null || f.transcriptId() == null || !TranscriptRenderings.INSTANCE.formats().contains(format)) {
            return null;
        }
        String json;
        try {
            json = s.client().getObjectAsBytes(b -> b.bucket(s.target().bucket())
                    .key(ArchivePaths.meetingPrefix(meeting) + "transcripts/" + f.transcriptId() + "/transcript.json")).asUtf8String();
        } catch (NoSuchKeyException e) {
            return null;
        }
        Transcript.Builder t = Transcript.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(json, t);
        } catch (InvalidProtocolBufferException e) {
            LOG.warn("meeting {}: transcript {} is not readable, so its {} cannot be made: {}", meeting, f.transcriptId(), format, e.getMessage());
            return null;
        }
        return TranscriptRenderings.INSTANCE.render(format, t.build()).getBytes(StandardCharsets.UTF_8);
    }

    private static void storageDown(Context ctx, RuntimeException e) {
        LOG.warn("archive request {} failed at storage: {}", ctx.path(), e.getMessage());
        ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error",
                "storage is not answering; try again shortly (" + e.getClass().getSimpleName() + ")"));
    }
}
