package org.steno.recorder.track;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.steno.recorder.ogg.OggOpusFile;
import org.steno.recorder.ogg.OpusSilence;
import org.steno.recorder.store.SegmentRecord;
import org.steno.recorder.store.SegmentSpool;

/**
 * One audio file of a recording written as Ogg/Opus segments: packets arrive with their
 * position on the recording's time line (48 kHz samples); holes are filled with silence
 * packets so durations stay true; a new segment starts at the first packet past each
 * segment boundary of the time line, and the finished one is committed for upload.
 */
public final class SegmentedOggWriter {

    /** Holes shorter than this are jitter, not worth a line in the manifest. */
    private static final long REPORTED_GAP_SAMPLES = 48 * 60;

    private final SegmentSpool spool;
    private final TrackIdentity id;
    private final long segmentSamples;
    private OggOpusFile file;
    private Path part;
    private int index;
    private long segmentStart;
    private long segmentEnd;
    private long end = -1;
    private final List<SegmentRecord.Gap> gaps = new ArrayList<>();
    private final List<SegmentRecord> committed = new ArrayList<>();

    public SegmentedOggWriter(SegmentSpool spool, TrackIdentity id, long segmentMillis) {
        this.spool = spool;
        this.id = id;
        this.segmentSamples = segmentMillis * 48;
    }

    /**
     * Writes a packet at {@code position}. A packet that starts before the end of what is written
     * (late or overlapping) is moved to the end if it overlaps by less than one 10 ms frame and
     * dropped otherwise; returns where it was written, or -1 when dropped.
     */
    public long write(long position, byte[] packet, int samples, String gapReason) throws IOException {
        if (end >= 0 && position < end) {
            if (end - position >= 480) {
                return -1;
            }
            position = end;
        }
        if (end >= 0 && position > end) {
            long from = end;
            long filled = OpusSilence.fill(position - end, (p, n) -> append(end, p, n));
            if (position - from >= REPORTED_GAP_SAMPLES) {
                addGap(from, from + filled, gapReason);
            }
            position = end; // sub-2.5 ms remainders are absorbed by starting the packet at the end
        }
        append(position, packet, samples);
        return position;
    }

    private void append(long position, byte[] packet, int samples) throws IOException {
        if (file != null && position >= segmentEnd) {
            closeSegment();
        }
        if (file == null) {
            openSegment(position);
        }
        file.write(packet, samples);
        end = position + samples;
    }

    private void openSegment(long position) throws IOException {
        segmentStart = position;
        segmentEnd = (position / segmentSamples + 1) * segmentSamples;
        part = spool.open(key(index));
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("TITLE", id.displayName() == null ? id.trackId() : id.displayName());
        tags.put("STENO_RECORDING", id.recordingId());
        tags.put("STENO_TRACK", id.trackId());
        tags.put("STENO_OFFSET_US", Long.toString(position * 1000 / 48));
        file = new OggOpusFile(part, tags);
    }

    private String key(int n) {
        return id.dirKey() + "segment-" + n + ".ogg";
    }

    private void closeSegment() throws IOException {
        OggOpusFile f = file;
        file = null;
        f.close();
        long start = segmentStart;
        long duration = f.samples();
        List<SegmentRecord.Gap> segmentGaps = new ArrayList<>(gaps);
        gaps.clear();
        committed.add(spool.commit(part, new SegmentRecord(id.meetingId(), id.recordingId(), id.kind(),
                id.participantId(), id.displayName(), id.trackId(), id.codec(), "ogg", index, key(index),
                start * 1000 / 48, duration * 1000 / 48, 0, "", 0, 0, segmentGaps, id.source())));
        index++;
    }

    private void addGap(long from, long to, String reason) {
        long fromUs = from * 1000 / 48;
        long toUs = to * 1000 / 48;
        if (!gaps.isEmpty()) {
            SegmentRecord.Gap last = gaps.get(gaps.size() - 1);
            if (last.toMicros() == fromUs && last.reason().equals(reason)) {
                gaps.set(gaps.size() - 1, new SegmentRecord.Gap(last.fromMicros(), toUs, reason));
                return;
            }
        }
        gaps.add(new SegmentRecord.Gap(fromUs, toUs, reason));
    }

    /** Fills silence up to {@code position} (end of track while muted, end of recording). */
    public void padTo(long position, String reason) throws IOException {
        if (end >= 0 && position > end) {
            long from = end;
            long filled = OpusSilence.fill(position - end, (p, n) -> append(end, p, n));
            if (filled >= REPORTED_GAP_SAMPLES) {
                addGap(from, from + filled, reason);
            }
        }
    }

    /** Commits the segment in progress. */
    public void close() throws IOException {
        if (file != null) {
            closeSegment();
        }
    }

    /** Drops the segment in progress without committing it (the recording failed). */
    public void abandon() {
        OggOpusFile f = file;
        file = null;
        if (f != null) {
            try {
                f.close();
                java.nio.file.Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // The spool is cleaned of .part files on the next start anyway.
            }
        }
    }

    /** End of what is written, in samples on the time line; -1 before the first packet. */
    public long end() {
        return end;
    }

    public List<SegmentRecord> committed() {
        return committed;
    }
}
