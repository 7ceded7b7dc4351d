package org.steno.archive.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.archive.evidence.EvidenceException;
import org.steno.archive.evidence.EvidenceExport;
import org.steno.archive.evidence.EvidenceFiles;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The evidence export on a real s3proxy: every finished file of the meeting, and nothing else,
 * with SHA-256 sums that match the bucket, the manifest last; an incomplete or damaged set is
 * refused before a byte is written, and a file that changes while the ZIP is written leaves it
 * unfinished (no manifest, no central directory).
 */
class EvidenceExportTest {

    private static final String M = "abc-defg-hij";
    private static final String P = "meetings/" + M + "/";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;
    private TestBucket bucket;
    private EvidenceExport export;
    private final byte[] mixed = new byte[300_000];

    @BeforeEach
    void start() throws Exception {
        bucket = new TestBucket(dir);
        export = new EvidenceExport(() -> bucket.client, () -> "steno");
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = (byte) (i * 37 + i / 251);
        }
        bucket.client.putObject(b -> b.bucket("steno").key(P + "recordings/rec-1/mixed.ogg"), RequestBody.fromBytes(mixed));
        bucket.put(P + "recordings/rec-1/tracks/p1-a1/track.ogg", "alice's audio");
        bucket.put(P + "recordings/rec-1/tracks/p1-a1/segment-0.ogg", "a segment");
        bucket.put(P + "recordings/rec-1/manifest.json", manifest(mixed.length));
        bucket.put(P + "transcripts/live-0/transcript.json", "{\"transcriptId\":\"live-0\",\"segments\":[]}");
        bucket.put(P + "transcripts/live-0/transcript.vtt", "WEBVTT\n");
        bucket.put(P + "transcripts/live-0/transcript.txt", "[00:00:01] Alice: bonjour\n");
        bucket.put(P + "transcripts/live-0/parts/t1/0.json", "{}");
        bucket.put(P + "chat.json", "{\"messages\":[]}");
        bucket.put("meetings/" + M + "-other/chat.json", "{\"messages\":[\"another meeting\"]}");
    }

    @AfterEach
    void stop() throws Exception {
        bucket.close();
    }

    private static String manifest(long mixedBytes) {
        return """
                {"meetingId":"%s","recordingId":"rec-1","startedAt":"2026-12-01T09:00:05Z","durationMs":5000,"complete":true,
                 "files":[{"key":"%srecordings/rec-1/mixed.ogg","kind":"mixed","bytes":%d},
                          {"key":"%srecordings/rec-1/tracks/p1-a1/track.ogg","kind":"audio","bytes":13},
                          {"key":"meetings/other/recordings/x/mixed.ogg","kind":"mixed","bytes":5}]}
                """.formatted(M, P, mixedBytes, P);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private byte[] stored(String key) {
        return bucket.client.getObjectAsBytes(b -> b.bucket("steno").key(key)).asByteArray();
    }

    /** The entries of a ZIP in order, read as a stream (as a tool without the central directory would). */
    private static Map<String, byte[]> entries(byte[] zip) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    @Test
    void theExportHoldsEveryFinishedFileWithSumsThatMatchTheBucketAndTheManifestLast() throws Exception {
        EvidenceExport.Plan plan = export.plan(M);
        assertThat(plan.items()).extracting(EvidenceExport.Item::name).containsExactly("chat.json",
                "recordings/rec-1/manifest.json", "recordings/rec-1/mixed.ogg", "recordings/rec-1/tracks/p1-a1/track.ogg",
                "transcripts/live-0/transcript.json", "transcripts/live-0/transcript.txt", "transcripts/live-0/transcript.vtt");
        assertThat(plan.leftOut()).as("the segment and the part").isEqualTo(2);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Object> meta = Map.of("meeting", Map.of("id", M, "title", "Conseil"), "legalHold", Map.of("held", false));
        EvidenceExport.Summary summary = export.write(plan, meta, Map.of("audit.json", "[]".getBytes(StandardCharsets.UTF_8)), out);

        Map<String, byte[]> zip = entries(out.toByteArray());
        String folder = EvidenceFiles.folder(M);
        List<String> names = new ArrayList<>(zip.keySet());
        assertThat(names).allSatisfy(n -> assertThat(n).startsWith(folder));
        assertThat(names.get(names.size() - 1)).isEqualTo(folder + "manifest.json");
        assertThat(names).hasSize(7 + 4);
        assertThat(names.get(7)).as("the caller's documents after the bucket's files").isEqualTo(folder + "audit.json");
        // The central directory is there too: java.util.zip.ZipFile reads it.
        Path file = Files.write(dir.resolve("export.zip"), out.toByteArray());
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile())) {
            assertThat(z.size()).isEqualTo(11);
        }

        JsonNode manifest = JSON.readTree(zip.get(folder + "manifest.json"));
        assertThat(manifest.path("format").asString()).isEqualTo("steno.evidence.v1");
        assertThat(manifest.path("export").path("meeting").path("title").asString()).isEqualTo("Conseil");
        assertThat(manifest.path("leftOut").asInt()).isEqualTo(2);
        assertThat(manifest.path("files").size()).isEqualTo(9);
        for (JsonNode f : manifest.path("files")) {
            byte[] inZip = zip.get(folder + f.path("name").asString());
            assertThat(inZip).as(f.path("name").asString()).isNotNull();
            assertThat(sha256(inZip)).as(f.path("name").asString()).isEqualTo(f.path("sha256").asString());
            assertThat((long) inZip.length).isEqualTo(f.path("bytes").asLong());
            if (!f.path("key").isNull()) {
                assertThat(inZip).as("the bucket's copy of " + f.path("key").asString()).isEqualTo(stored(f.path("key").asString()));
            }
        }
        assertThat(zip.get(folder + "recordings/rec-1/mixed.ogg")).isEqualTo(mixed);
        String sums = new String(zip.get(folder + "SHA256SUMS"), StandardCharsets.UTF_8);
        assertThat(sums.lines()).hasSize(9).contains(sha256(mixed) + "  recordings/rec-1/mixed.ogg");
        assertThat(JSON.readTree(zip.get(folder + "export.json")).path("legalHold").path("held").asBoolean(true)).isFalse();
        assertThat(summary.manifestSha256()).isEqualTo(sha256(zip.get(folder + "manifest.json")));
        assertThat(summary.bytes()).isGreaterThan(mixed.length);
    }

    @Test
    void theCallersDocumentsCannotTakeANameOfTheBucketOrOfTheExport() {
        EvidenceExport.Plan plan = export.plan(M);
        for (String name : new String[] {"manifest.json", "SHA256SUMS", "export.json", "chat.json", "../audit.json", "a/b.json", ""}) {
            assertThatThrownBy(() -> export.write(plan, Map.of(), Map.of(name, new byte[1]), new ByteArrayOutputStream()))
                    .as(name).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aFileTheRecordingsManifestNamesButTheBucketLacksIsRefusedBeforeAnyByte() {
        bucket.delete(P + "recordings/rec-1/tracks/p1-a1/track.ogg");
        assertThatThrownBy(() -> export.plan(M)).isInstanceOf(EvidenceException.class)
                .hasMessage("recordings/rec-1/tracks/p1-a1/track.ogg is named by recordings/rec-1/manifest.json but is not in the bucket");
    }

    @Test
    void aFileOfAnotherLengthThanItsManifestSaysIsDamaged() {
        bucket.put(P + "recordings/rec-1/manifest.json", manifest(mixed.length + 1));
        assertThatThrownBy(() -> export.plan(M)).isInstanceOf(EvidenceException.class)
                .hasMessageContaining("recordings/rec-1/mixed.ogg is 300000 bytes in the bucket but 300001")
                .hasMessageContaining("damaged");
    }

    @Test
    void anUnreadableDocumentIsRefused() {
        bucket.put(P + "transcripts/live-0/transcript.json", "{\"segments\": [");
        assertThatThrownBy(() -> export.plan(M)).isInstanceOf(EvidenceException.class)
                .hasMessage("transcripts/live-0/transcript.json is not readable JSON: the stored copy is damaged");
    }

    @Test
    void aFileThatChangesWhileTheExportIsWrittenLeavesItUnfinished() throws Exception {
        EvidenceExport.Plan plan = export.plan(M);
        bucket.put(P + "recordings/rec-1/mixed.ogg", "shorter now");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> export.write(plan, Map.of(), out)).isInstanceOf(EvidenceException.class)
                .hasMessage("recordings/rec-1/mixed.ogg was 300000 bytes when listed but 11 when read: it changed or is damaged");
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()), StandardCharsets.UTF_8)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
                in.readAllBytes();
            }
        } catch (java.io.IOException e) {
            names.add("(broken: " + e.getMessage() + ")");
        }
        String folder = EvidenceFiles.folder(M);
        assertThat(names).as("what was written before, then the broken entry").startsWith(folder + "chat.json")
                .doesNotContain(folder + "manifest.json", folder + "SHA256SUMS");
        Path file = Files.write(dir.resolve("partial.zip"), out.toByteArray());
        assertThatThrownBy(() -> new java.util.zip.ZipFile(file.toFile()).close()).as("no central directory")
                .isInstanceOf(java.util.zip.ZipException.class);
    }

    @Test
    void aStoredCopyDamagedInPlaceFailsItsChecksum() throws Exception {
        EvidenceExport.Plan plan = export.plan(M);
        // The same length, other bytes, behind the store's back (a disk fault): only the checksum can tell.
        Path onDisk = dir.resolve("steno").resolve(P + "recordings/rec-1/tracks/p1-a1/track.ogg");
        assertThat(onDisk).exists();
        Files.writeString(onDisk, "ALICE'S AUDIO");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> export.write(plan, Map.of(), out)).isInstanceOf(EvidenceException.class)
                .hasMessage("recordings/rec-1/tracks/p1-a1/track.ogg does not match the checksum the bucket holds for it: "
                        + "the stored copy is damaged");
    }

    @Test
    void entryNamesAreFinishedFilesOfTheMeetingWithPlainPathsOnly() {
        assertThat(EvidenceFiles.entryName(M, P + "chat.json")).isEqualTo("chat.json");
        assertThat(EvidenceFiles.entryName(M, P + "chat-2.json")).isEqualTo("chat-2.json");
        assertThat(EvidenceFiles.entryName(M, P + "meeting.json")).isEqualTo("meeting.json");
        assertThat(EvidenceFiles.entryName(M, P + "recordings/r/tracks/p-a/track.webm")).isEqualTo("recordings/r/tracks/p-a/track.webm");
        for (String bad : new String[] {P + "transcripts/../../etc/transcript.json", P + "transcripts/x/../transcript.json",
                P + "transcripts/..x/transcript.json", P + "/chat.json", P + "recordings/r/tracks/a\\b/track.ogg",
                P + "recordings/r/tracks/-a/track.ogg", P + "transcripts/t/parts/x/0.json", P + "recordings/r/mixed/segment-0.ogg",
                P + "chat-0.json", P + "chat.json\n", P + "transcripts/t/transcript.exe", "meetings/other/chat.json",
                "meetings/" + M + "-other/chat.json", "/" + P + "chat.json", null}) {
            assertThat(EvidenceFiles.entryName(M, bad)).as(String.valueOf(bad)).isNull();
        }
        assertThat(EvidenceFiles.entryName("../x", "meetings/../x/chat.json")).isNull();
    }

    /** A stand-in for the subtitle service's renderers: says which transcript and how many segments it rendered. */
    private static final org.steno.archive.evidence.TranscriptFormats FORMATS = new org.steno.archive.evidence.TranscriptFormats() {
        @Override
        public List<String> formats() {
            return List.of("vtt", "srt", "txt", "rttm");
        }

        @Override
        public String render(String format, org.steno.proto.transcript.v1.Transcript t) {
            return format + " of " + t.getTranscriptId() + ", " + t.getSegmentsCount() + " segments\n";
        }
    };

    @Test
    void formatsTheBucketLacksAreRenderedFromTheTranscriptAndListedAsGenerated() throws Exception {
        EvidenceExport withFormats = new EvidenceExport(() -> bucket.client, () -> "steno", FORMATS);
        EvidenceExport.Plan plan = withFormats.plan(M);
        assertThat(plan.generated()).extracting(EvidenceExport.Generated::name)
                .as("vtt and txt are stored; srt and rttm are not")
                .containsExactly("transcripts/live-0/transcript.srt", "transcripts/live-0/transcript.rttm");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        withFormats.write(plan, Map.of("meeting", Map.of("id", M)), out);
        Map<String, byte[]> zip = entries(out.toByteArray());
        String folder = EvidenceFiles.folder(M);
        assertThat(new String(zip.get(folder + "transcripts/live-0/transcript.srt"), StandardCharsets.UTF_8))
                .isEqualTo("srt of live-0, 0 segments\n");
        assertThat(zip.get(folder + "transcripts/live-0/transcript.vtt")).as("a stored format is the bucket's copy")
                .isEqualTo(stored(P + "transcripts/live-0/transcript.vtt"));
        JsonNode manifest = JSON.readTree(zip.get(folder + "manifest.json"));
        List<JsonNode> generated = new ArrayList<>();
        manifest.path("files").forEach(f -> {
            if (f.has("generatedFrom")) {
                generated.add(f);
            }
        });
        assertThat(generated).extracting(f -> f.path("name").asString() + " from " + f.path("generatedFrom").asString())
                .containsExactly("transcripts/live-0/transcript.srt from transcripts/live-0/transcript.json",
                        "transcripts/live-0/transcript.rttm from transcripts/live-0/transcript.json");
        for (JsonNode f : generated) {
            assertThat(f.path("key").isNull()).isTrue();
            assertThat(sha256(zip.get(folder + f.path("name").asString()))).isEqualTo(f.path("sha256").asString());
        }
        assertThat(new String(zip.get(folder + "SHA256SUMS"), StandardCharsets.UTF_8)).contains("  transcripts/live-0/transcript.rttm\n");

        // A transcript.json that is JSON but not a Transcript is exported as stored; only its formats are not made.
        bucket.put(P + "transcripts/live-1/transcript.json", "{\"segments\":\"not a list\"}");
        EvidenceExport.Plan again = withFormats.plan(M);
        assertThat(again.items()).extracting(EvidenceExport.Item::name).contains("transcripts/live-1/transcript.json");
        assertThat(again.generated()).extracting(EvidenceExport.Generated::name)
                .containsExactly("transcripts/live-0/transcript.srt", "transcripts/live-0/transcript.rttm");
        // A renderer that fails is said, before a byte is written.
        EvidenceExport broken = new EvidenceExport(() -> bucket.client, () -> "steno", new org.steno.archive.evidence.TranscriptFormats() {
            @Override
            public List<String> formats() {
                return List.of("srt");
            }

            @Override
            public String render(String format, org.steno.proto.transcript.v1.Transcript t) {
                throw new IllegalStateException("renderer broke");
            }
        });
        assertThatThrownBy(() -> broken.plan(M)).isInstanceOf(EvidenceException.class)
                .hasMessage("transcripts/live-0/transcript.srt could not be made from transcripts/live-0/transcript.json: renderer broke");
    }
}
