package org.steno.recorder.finalize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.recorder.ParticipantRecord;
import org.steno.recorder.ogg.OggOpusFile;
import org.steno.recorder.ogg.OpusPackets;
import org.steno.recorder.ogg.OpusSilence;
import org.steno.recorder.store.Json;
import org.steno.recorder.store.Keys;
import org.steno.recorder.store.ObjectStore;
import org.steno.recorder.store.RecordingRecord;
import org.steno.recorder.store.SegmentRecord;
import org.steno.recorder.store.SegmentSpool;
import org.steno.recorder.webm.WebmFile;
import org.steno.recorder.webm.WebmReader;

/**
 * Turns a recording's committed segments in storage into one file per track (and the mix),
 * remuxed without re-encoding, then writes {@code manifest.json} and removes the segments.
 * It reads only storage, so the same code finalizes a normal stop and a recording a crashed
 * recorder left behind. A segment that is missing or fails its checksum becomes a gap: audio
 * is filled with silence so later audio keeps its place on the time line.
 */
public final class Finalizer {

    private static final Logger LOG = LoggerFactory.getLogger(Finalizer.class);

    /** What the live session knows that segments do not; null fields are derived from segments. */
    public record Known(Long durationMs, List<ParticipantRecord> participants, String stopReason, boolean crashed) {
        public static Known afterCrash() {
            return new Known(null, null, "recorder stopped unexpectedly", true);
        }
    }

    private final ObjectStore store;
    private final Path workDir;

    public Finalizer(ObjectStore store, Path workDir) {
        this.store = store;
        this.workDir = workDir;
    }

    /** Finalizes the recording under {@code prefix} ({@code meetings/<m>/recordings/<r>/}); returns the manifest. */
    public Manifest finalizeRecording(String prefix, Known known) throws IOException {
        List<String> keys = store.list(prefix);
        byte[] rj = store.get(prefix + "recording.json");
        RecordingRecord rec = rj == null ? null : Json.read(rj, RecordingRecord.class);
        Map<String, List<SegmentRecord>> byDir = new TreeMap<>();
        for (String k : keys) {
            if (k.endsWith(".json") && Keys.isSegment(k)) {
                byte[] b = store.get(k);
                if (b == null) {
                    continue;
                }
                SegmentRecord s = Json.read(b, SegmentRecord.class);
                byDir.computeIfAbsent(k.substring(0, k.lastIndexOf('/') + 1), d -> new ArrayList<>()).add(s);
            }
        }
        Path dir = Files.createDirectories(workDir.resolve("finalize-" + System.nanoTime()));
        List<Manifest.FileEntry> files = new ArrayList<>();
        List<String> consumed = new ArrayList<>();
        String meetingId = rec != null ? rec.meetingId() : "";
        String recordingId = rec != null ? rec.recordingId() : "";
        try {
            for (Map.Entry<String, List<SegmentRecord>> e : byDir.entrySet()) {
                List<SegmentRecord> segs = e.getValue();
                segs.sort(Comparator.comparingInt(SegmentRecord::index));
                SegmentRecord first = segs.get(0);
                meetingId = first.meetingId();
                recordingId = first.recordingId();
                if ("webm".equals(first.container())) {
                    Manifest.FileEntry f = remuxWebm(e.getKey(), segs, dir);
                    if (f != null) {
                        files.add(f);
                    }
                } else {
                    files.addAll(remuxOgg(e.getKey(), segs, dir, SegmentRecord.MIXED.equals(first.kind())));
                }
                for (SegmentRecord s : segs) {
                    consumed.add(s.key());
                    consumed.add(SegmentSpool.commitKey(s.key()));
                }
            }
            if (byDir.isEmpty() && rec == null) {
                throw new IOException("nothing to finalize under " + prefix);
            }
            long duration = known.durationMs() != null ? known.durationMs()
                    : files.stream().mapToLong(f -> f.offsetMs() + f.durationMs()).max().orElse(0);
            List<Manifest.GapEntry> gaps = new ArrayList<>();
            if (known.crashed()) {
                // Everything after each file's last completed segment was lost with the process.
                gaps.add(new Manifest.GapEntry(duration, -1, "recorder crashed: media after the last completed "
                        + "segment (at most one segment length) was not saved"));
            }
            Manifest m = new Manifest(1, meetingId, recordingId, rec == null ? "" : rec.startedAt(),
                    Instant.now().toString(), duration, !known.crashed(), known.stopReason(),
                    known.participants() != null ? known.participants() : participantsFrom(byDir.values()),
                    files, gaps);
            store.put(prefix + "manifest.json", Json.write(m));
            for (String k : consumed) {
                try {
                    store.delete(k);
                } catch (IOException ex) {
                    LOG.warn("could not delete segment {} after finalizing: {}", k, ex.getMessage());
                }
            }
            return m;
        } finally {
            deleteTree(dir);
        }
    }

    private List<Manifest.FileEntry> remuxOgg(String dirKey, List<SegmentRecord> segs, Path dir, boolean mixed)
            throws IOException {
        SegmentRecord first = segs.get(0);
        String name = mixed ? "mixed.ogg" : "track.ogg";
        String outKey = mixed ? dirKey.substring(0, dirKey.length() - "mixed/".length()) + "mixed.ogg" : dirKey + name;
        Path out = dir.resolve(Integer.toHexString(dirKey.hashCode()) + "-" + name);
        List<Manifest.GapEntry> gaps = new ArrayList<>();
        List<byte[]> mixPackets = mixed ? new ArrayList<>() : null;
        long offsetSamples = -1;
        long[] written = {0};
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("TITLE", mixed ? "everyone" : first.displayName());
        tags.put("STENO_RECORDING", first.recordingId());
        int preSkip = mixed ? org.steno.recorder.mix.AudioMixer.ENCODER_LOOKAHEAD : 0;
        try (OggOpusFile ogg = new OggOpusFile(out, tags, preSkip)) {
            for (SegmentRecord s : segs) {
                byte[] media = store.get(s.key());
                if (media == null || !SegmentSpool.sha256(media).equals(s.sha256())) {
                    gaps.add(new Manifest.GapEntry(s.startMicros() / 1000, s.endMicros() / 1000,
                            media == null ? "segment lost" : "segment damaged"));
                    continue;
                }
                long start = s.startMicros() * 48 / 1000;
                if (offsetSamples < 0) {
                    offsetSamples = start;
                }
                long cursor = offsetSamples + written[0];
                if (start > cursor) {
                    OpusSilence.fill(start - cursor, (p, n) -> {
                        ogg.write(p, n);
                        written[0] += n;
                        if (mixPackets != null) {
                            mixPackets.add(p);
                        }
                    });
                    if (start - cursor >= 48 * 60 && gaps.stream().noneMatch(g -> g.toMs() == s.startMicros() / 1000)) {
                        gaps.add(new Manifest.GapEntry(cursor / 48, start / 48, "segment lost"));
                    }
                }
                for (byte[] p : OggOpusFile.audioPackets(media)) {
                    int n = OpusPackets.samples(p);
                    if (n > 0) {
                        ogg.write(p, n);
                        written[0] += n;
                        if (mixPackets != null) {
                            mixPackets.add(p);
                        }
                    }
                }
                for (SegmentRecord.Gap g : s.gaps()) {
                    gaps.add(new Manifest.GapEntry(g.fromMicros() / 1000, g.toMicros() / 1000, g.reason()));
                }
            }
        }
        if (offsetSamples < 0) {
            return List.of();
        }
        List<Manifest.FileEntry> entries = new ArrayList<>();
        long playable = written[0] - preSkip;
        entries.add(upload(outKey, out, first, "ogg", offsetSamples / 48, playable / 48, gaps));
        if (mixed) {
            Path m4a = dir.resolve("mixed.m4a");
            M4aEncoder.encode(mixPackets, preSkip, m4a);
            String m4aKey = outKey.substring(0, outKey.length() - 3) + "m4a";
            store.put(m4aKey, m4a);
            entries.add(new Manifest.FileEntry(m4aKey, SegmentRecord.MIXED, "", "everyone", "mixed", "aac", "m4a",
                    offsetSamples / 48, playable / 48, Files.size(m4a), SegmentSpool.sha256(m4a), 0, 0, List.of(), ""));
        }
        return entries;
    }

    private Manifest.FileEntry remuxWebm(String dirKey, List<SegmentRecord> segs, Path dir) throws IOException {
        SegmentRecord first = segs.get(0);
        Path out = dir.resolve(Integer.toHexString(dirKey.hashCode()) + "-track.webm");
        List<Manifest.GapEntry> gaps = new ArrayList<>();
        long offsetMillis = -1;
        long lastEnd = 0;
        WebmFile webm = null;
        try {
            for (SegmentRecord s : segs) {
                byte[] media = store.get(s.key());
                if (media == null || !SegmentSpool.sha256(media).equals(s.sha256())) {
                    gaps.add(new Manifest.GapEntry(s.startMicros() / 1000, s.endMicros() / 1000,
                            media == null ? "segment lost" : "segment damaged"));
                    continue;
                }
                Path seg = dir.resolve("seg.webm");
                Files.write(seg, media);
                WebmReader.Contents c = WebmReader.read(seg);
                if (webm == null) {
                    webm = new WebmFile(out, c.width(), c.height());
                    offsetMillis = s.startMicros() / 1000;
                }
                long base = s.startMicros() / 1000 - offsetMillis;
                for (WebmReader.Frame f : c.frames()) {
                    webm.write(f.data(), base + f.ptsMillis(), f.keyframe());
                }
                lastEnd = s.endMicros() / 1000;
                for (SegmentRecord.Gap g : s.gaps()) {
                    gaps.add(new Manifest.GapEntry(g.fromMicros() / 1000, g.toMicros() / 1000, g.reason()));
                }
            }
        } finally {
            if (webm != null) {
                webm.close();
            }
        }
        if (offsetMillis < 0) {
            return null;
        }
        return upload(dirKey + "track.webm", out, first, "webm", offsetMillis, lastEnd - offsetMillis, gaps);
    }

    private Manifest.FileEntry upload(String key, Path file, SegmentRecord first, String container, long offsetMs,
                                      long durationMs, List<Manifest.GapEntry> gaps) throws IOException {
        store.put(key, file);
        return new Manifest.FileEntry(key, first.kind(), first.participantId(), first.displayName(), first.trackId(),
                first.codec(), container, offsetMs, durationMs, Files.size(file), SegmentSpool.sha256(file),
                first.width(), first.height(), gaps, first.sourceOrEmpty());
    }

    private static List<ParticipantRecord> participantsFrom(java.util.Collection<List<SegmentRecord>> groups) {
        Map<String, long[]> span = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (List<SegmentRecord> segs : groups) {
            for (SegmentRecord s : segs) {
                if (SegmentRecord.MIXED.equals(s.kind())) {
                    continue;
                }
                names.putIfAbsent(s.participantId(), s.displayName());
                long[] sp = span.computeIfAbsent(s.participantId(), p -> new long[] {Long.MAX_VALUE, 0});
                sp[0] = Math.min(sp[0], s.startMicros() / 1000);
                sp[1] = Math.max(sp[1], s.endMicros() / 1000);
            }
        }
        List<ParticipantRecord> out = new ArrayList<>();
        span.forEach((p, sp) -> out.add(new ParticipantRecord(p, names.get(p), sp[0], sp[1])));
        return out;
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp dir left behind is harmless.
        }
    }
}
