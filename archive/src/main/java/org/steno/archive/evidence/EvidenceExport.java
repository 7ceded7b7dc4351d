package org.steno.archive.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A meeting's evidence export: one ZIP holding every finished file of the meeting in the bucket
 * (recordings, transcripts in every stored format, chat, {@code meeting.json}), each transcript
 * format the bucket lacks rendered from its {@code transcript.json} ({@link TranscriptFormats}), the caller's
 * {@code export.json} (the meeting's metadata, its legal hold, who exported it and when), a
 * {@code SHA256SUMS} file ({@code sha256sum -c} reads it) and, last, {@code manifest.json}: every
 * file's name, object key, length and SHA-256.
 *
 * <p>Two steps. {@link #plan} lists and checks before a byte is sent: each recording's manifest
 * names files that must be there with the length it gives, each JSON document must be readable;
 * otherwise {@link EvidenceException}. {@link #write} streams the files one after the other
 * (never a whole file in memory), hashing as it goes, and checks each against the listing (its
 * length, and its MD5 where the ETag is one). When a file fails there, it throws and leaves the
 * ZIP unfinished (no manifest, no central directory): the caller must abort its response, so a
 * truncated export can never pass as a complete one.
 */
public final class EvidenceExport {

    public static final String FORMAT = "steno.evidence.v1";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EvidenceExport.class);
    private static final Set<String> MEDIA = Set.of("ogg", "m4a", "webm");

    private static final java.util.regex.Pattern TRANSCRIPT_JSON = java.util.regex.Pattern.compile("transcripts/([^/]+)/transcript\\.json");

    private final Supplier<S3Client> client;
    private final Supplier<String> bucket;
    private final TranscriptFormats formats;

    public EvidenceExport(Supplier<S3Client> client, Supplier<String> bucket) {
        this(client, bucket, TranscriptFormats.NONE);
    }

    /** @param formats the transcript formats every export holds: those the bucket lacks are rendered from transcript.json */
    public EvidenceExport(Supplier<S3Client> client, Supplier<String> bucket, TranscriptFormats formats) {
        this.client = client;
        this.bucket = bucket;
        this.formats = formats;
    }

    /** A file of the export: the object, its name in the ZIP, its length and ETag when listed. */
    public record Item(String key, String name, long bytes, String etag) {
    }

    /** A transcript format the bucket lacks, rendered from the transcript.json named {@code from}. */
    public record Generated(String name, String from, byte[] body) {
    }

    /**
     * What an export of the meeting will hold: the bucket's files, the formats generated for them;
     * {@code leftOut}: objects of the meeting that are not finished files.
     */
    public record Plan(String meetingId, List<Item> items, List<Generated> generated, int leftOut) {
    }

    /** A written export: files (with export.json and SHA256SUMS), their bytes, and the manifest's SHA-256. */
    public record Summary(int files, long bytes, String manifestSha256) {
    }

    /**
     * Lists the meeting's finished files and checks that they make a complete set.
     *
     * @throws EvidenceException when they do not (which file, and why)
     * @throws SdkException when the bucket does not answer
     */
    public Plan plan(String meetingId) {
        if (!EvidenceFiles.isSafeId(meetingId)) {
            throw new IllegalArgumentException("not a meeting id");
        }
        S3Client c = client.get();
        String b = bucket.get();
        Map<String, Item> items = new TreeMap<>();
        int leftOut = 0;
        for (S3Object o : c.listObjectsV2Paginator(r -> r.bucket(b).prefix(EvidenceFiles.meetingPrefix(meetingId))).contents()) {
            String name = EvidenceFiles.entryName(meetingId, o.key());
            if (name == null) {
                leftOut++;
            } else {
                items.put(o.key(), new Item(o.key(), name, o.size() == null ? -1 : o.size(), o.eTag()));
            }
        }
        Set<String> names = new java.util.HashSet<>();
        items.values().forEach(i -> names.add(i.name()));
        List<Generated> generated = new ArrayList<>();
        for (Item i : items.values()) {
            if (!i.name().endsWith(".json")) {
                continue;
            }
            byte[] body = read(c, b, i);
            JsonNode doc = readJson(i, body);
            if (i.name().startsWith("recordings/") && i.name().endsWith("/manifest.json")) {
                checkRecording(meetingId, i, doc, items);
            }
            java.util.regex.Matcher t = TRANSCRIPT_JSON.matcher(i.name());
            if (t.matches()) {
                generated.addAll(missingFormats(i, body, "transcripts/" + t.group(1) + "/transcript.", names));
            }
        }
        return new Plan(meetingId, List.copyOf(items.values()), List.copyOf(generated), leftOut);
    }

    /** The formats of one transcript that the bucket lacks, rendered from its JSON. */
    private List<Generated> missingFormats(Item json, byte[] body, String stem, Set<String> stored) {
        List<String> missing = formats.formats().stream().filter(f -> !stored.contains(stem + f)).toList();
        if (missing.isEmpty()) {
            return List.of();
        }
        org.steno.proto.transcript.v1.Transcript.Builder t = org.steno.proto.transcript.v1.Transcript.newBuilder();
        try {
            com.google.protobuf.util.JsonFormat.parser().ignoringUnknownFields().merge(new String(body, StandardCharsets.UTF_8), t);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            // Exported as stored, as the archive page lists it: only the formats made from it are left out.
            LOG.warn("{} is not a readable Transcript: its missing formats are not made for the export ({})", json.name(), e.getMessage());
            return List.of();
        }
        List<Generated> out = new ArrayList<>();
        for (String f : missing) {
            try {
                out.add(new Generated(stem + f, json.name(), formats.render(f, t.build()).getBytes(StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
                throw new EvidenceException(stem + f + " could not be made from " + json.name() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static byte[] read(S3Client c, String b, Item i) {
        try {
            return c.getObjectAsBytes(r -> r.bucket(b).key(i.key())).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new EvidenceException(i.name() + " was listed but is gone from the bucket; try again", e);
        }
    }

    private static JsonNode readJson(Item i, byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw new EvidenceException(i.name() + " is not readable JSON: the stored copy is damaged", e);
        }
    }

    /** Every file a recording's manifest names must be in the bucket, with the length it gives. */
    private static void checkRecording(String meetingId, Item manifest, JsonNode doc, Map<String, Item> items) {
        for (JsonNode f : doc.path("files")) {
            String key = f.path("key").asString("");
            String name = EvidenceFiles.entryName(meetingId, key);
            if (name == null) {
                continue; // not this meeting's, or not a finished file: never exported
            }
            Item there = items.get(key);
            if (there == null) {
                throw new EvidenceException(name + " is named by " + manifest.name() + " but is not in the bucket");
            }
            long declared = f.path("bytes").asLong(0);
            if (declared > 0 && there.bytes() != declared) {
                throw new EvidenceException(name + " is " + there.bytes() + " bytes in the bucket but " + declared
                        + " in " + manifest.name() + ": the stored copy is damaged");
            }
        }
    }

    /**
     * Writes the export of {@code plan} to {@code out} (not closed). {@code export} becomes
     * {@code export.json} and is repeated in the manifest.
     *
     * @throws EvidenceException when a file is not what the plan listed; the ZIP is then unfinished
     * @throws IOException when {@code out} fails (the client went away)
     */
    public Summary write(Plan plan, Map<String, Object> export, OutputStream out) throws IOException {
        return write(plan, export, Map.of(), out);
    }

    /**
     * As {@link #write(Plan, Map, OutputStream)}, with documents the caller made (the meeting's
     * audit entries, say) written after the bucket's files, hashed and listed like them (with no
     * key). Their names are plain file names, none of the bucket's or the export's own.
     */
    public Summary write(Plan plan, Map<String, Object> export, Map<String, byte[]> extra, OutputStream out) throws IOException {
        for (String name : extra.keySet()) {
            if (!EvidenceFiles.isSafeId(name) || Set.of(EvidenceFiles.MANIFEST, EvidenceFiles.SUMS, EvidenceFiles.EXPORT).contains(name)
                    || plan.items().stream().anyMatch(i -> i.name().equals(name))) {
                throw new IllegalArgumentException("not a name for a document of the export: " + name);
            }
        }
        S3Client c = client.get();
        String b = bucket.get();
        String folder = EvidenceFiles.folder(plan.meetingId());
        ZipOutputStream zip = new ZipOutputStream(new NotClosing(out), StandardCharsets.UTF_8);
        zip.setComment(FORMAT + " export of meeting " + plan.meetingId() + "; manifest.json is written last");
        List<Map<String, Object>> files = new ArrayList<>();
        StringBuilder sums = new StringBuilder();
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        for (Item i : plan.items()) {
            String ext = i.name().substring(i.name().lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            zip.setLevel(MEDIA.contains(ext) ? Deflater.NO_COMPRESSION : Deflater.DEFAULT_COMPRESSION);
            zip.putNextEntry(new ZipEntry(folder + i.name()));
            MessageDigest sha = digest("SHA-256");
            MessageDigest md5 = plainMd5(i.etag()) ? digest("MD5") : null;
            long n = 0;
            try (InputStream in = c.getObject(r -> r.bucket(b).key(i.key()))) {
                for (int k; (k = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, k);
                    if (md5 != null) {
                        md5.update(buf, 0, k);
                    }
                    zip.write(buf, 0, k);
                    n += k;
                }
            } catch (NoSuchKeyException e) {
                throw new EvidenceException(i.name() + " was deleted while the export was written", e);
            } catch (SdkException e) {
                throw new EvidenceException(i.name() + " could not be read from the bucket (" + e.getMessage() + ")", e);
            }
            if (i.bytes() >= 0 && n != i.bytes()) {
                throw new EvidenceException(i.name() + " was " + i.bytes() + " bytes when listed but " + n
                        + " when read: it changed or is damaged");
            }
            if (md5 != null && !HexFormat.of().formatHex(md5.digest()).equalsIgnoreCase(unquoted(i.etag()))) {
                throw new EvidenceException(i.name() + " does not match the checksum the bucket holds for it: the stored copy is damaged");
            }
            zip.closeEntry();
            String hex = HexFormat.of().formatHex(sha.digest());
            files.add(file(i.name(), i.key(), n, hex));
            sums.append(hex).append("  ").append(i.name()).append('\n');
            total += n;
        }
        zip.setLevel(Deflater.DEFAULT_COMPRESSION);
        for (Generated g : plan.generated()) {
            String hex = entry(zip, folder + g.name(), g.body());
            Map<String, Object> f = file(g.name(), null, g.body().length, hex);
            f.put("generatedFrom", g.from());
            files.add(f);
            sums.append(hex).append("  ").append(g.name()).append('\n');
            total += g.body().length;
        }
        for (Map.Entry<String, byte[]> e : extra.entrySet()) {
            String hex = entry(zip, folder + e.getKey(), e.getValue());
            files.add(file(e.getKey(), null, e.getValue().length, hex));
            sums.append(hex).append("  ").append(e.getKey()).append('\n');
            total += e.getValue().length;
        }
        byte[] exportJson = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(export);
        String exportSha = entry(zip, folder + EvidenceFiles.EXPORT, exportJson);
        files.add(file(EvidenceFiles.EXPORT, null, exportJson.length, exportSha));
        sums.append(exportSha).append("  ").append(EvidenceFiles.EXPORT).append('\n');
        entry(zip, folder + EvidenceFiles.SUMS, sums.toString().getBytes(StandardCharsets.UTF_8));

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", FORMAT);
        manifest.put("meetingId", plan.meetingId());
        manifest.put("export", export);
        manifest.put("files", files);
        manifest.put("leftOut", plan.leftOut());
        manifest.put("note", "Every file of this folder but SHA256SUMS and manifest.json is listed with its SHA-256; "
                + "`key` is the object it was copied from; a transcript format the bucket did not hold was rendered at export "
                + "time from the transcript.json named by `generatedFrom`. leftOut counts the meeting's objects that are work in progress "
                + "(recording segments, transcript parts) and not exported. This manifest is written last: "
                + "an export without it is incomplete.");
        byte[] manifestJson = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        String manifestSha = entry(zip, folder + EvidenceFiles.MANIFEST, manifestJson);
        zip.finish();
        zip.flush();
        return new Summary(files.size() + 1, total + exportJson.length, manifestSha);
    }

    private static Map<String, Object> file(String name, String key, long bytes, String sha256) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("key", key);
        f.put("bytes", bytes);
        f.put("sha256", sha256);
        return f;
    }

    private static String entry(ZipOutputStream zip, String name, byte[] body) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(body);
        zip.closeEntry();
        return HexFormat.of().formatHex(digest("SHA-256").digest(body));
    }

    /** An ETag that is the object's MD5 (a single-part upload), not a multipart one ({@code …-3}). */
    static boolean plainMd5(String etag) {
        return etag != null && unquoted(etag).matches("[0-9a-fA-F]{32}");
    }

    private static String unquoted(String etag) {
        return etag.startsWith("\"") && etag.endsWith("\"") && etag.length() >= 2 ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is part of every Java runtime", e);
        }
    }

    /** Finishing the ZIP must not close the response: the caller owns it. */
    private static final class NotClosing extends java.io.FilterOutputStream {
        NotClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
