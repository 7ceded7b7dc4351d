package org.steno.recorder.track;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.steno.recorder.store.SegmentRecord;
import org.steno.recorder.store.SegmentSpool;
import org.steno.recorder.webm.WebmFile;

/**
 * A participant's VP8 track copied into WebM segments. Every segment starts with a keyframe so it
 * plays alone (and a lost segment only costs its own time): at each segment boundary the writer
 * asks the sender for a keyframe and rolls over when it comes, or one segment length later anyway.
 */
public final class Vp8TrackWriter implements TrackWriter {

    private record Packet(long timestamp, boolean marker, byte[] payload, long mediaTime, long extSeq) {
    }

    private static final long REPORTED_GAP_MILLIS = 1000;

    private final TrackIdentity id;
    private final SegmentSpool spool;
    private final long segmentMillis;
    private final TrackTimeline timeline;
    private final SequenceUnwrapper sequence = new SequenceUnwrapper(16);
    private final JitterBuffer<Packet> jitter = new JitterBuffer<>(64);
    private final Vp8Depacketizer depacketizer = new Vp8Depacketizer();
    private final Consumer<String> keyframeRequest;
    private final List<SegmentRecord> committed = new ArrayList<>();
    private final List<SegmentRecord.Gap> gaps = new ArrayList<>();
    private long ssrc = -1;
    private WebmFile file;
    private Path part;
    private int index;
    private long segmentStartMillis;
    private long segmentEndMillis;
    private long lastFrameMillis = -1;
    private boolean keyframeAsked;
    private static final long KEYFRAME_ASK_AGAIN_MICROS = 1_000_000;
    private long lastKeyframeAskMicros = Long.MIN_VALUE;
    private int width;
    private int height;
    private long packets;
    private long frames;
    private long ssrcChanges;

    public Vp8TrackWriter(TrackIdentity id, SegmentSpool spool, long segmentMillis,
                           java.util.function.LongSupplier recordingStartMicros,
                          Consumer<String> keyframeRequest) {
        this.id = id;
        this.spool = spool;
        this.segmentMillis = segmentMillis;
        this.timeline = new TrackTimeline(90000, recordingStartMicros);
        this.keyframeRequest = keyframeRequest;
    }

    @Override
    public void packet(long packetSsrc, int sequenceNumber, long rtpTimestamp, boolean marker, byte[] payload,
                       long mediaTimeMicros) throws IOException {
        packets++;
        if (packetSsrc != ssrc) {
            if (ssrc != -1) {
                ssrcChanges++;
                for (Packet p : jitter.drain()) {
                    depacketize(p);
                }
            }
            ssrc = packetSsrc;
            sequence.reset();
            jitter.reset();
            timeline.reset();
            depacketizer.reset();
        }
        long ext = sequence.unwrap(sequenceNumber);
        for (Packet p : jitter.push(ext, new Packet(rtpTimestamp, marker, payload, mediaTimeMicros, ext))) {
            depacketize(p);
        }
    }

    private void depacketize(Packet p) throws IOException {
        Vp8Depacketizer.Frame f = depacketizer.push(p.extSeq, p.timestamp, p.marker, p.payload, p.mediaTime);
        // Waiting for a keyframe (the track's start, a loss, a new SSRC): ask, and again each second
        // while none comes; a still shared screen may otherwise never send one by itself.
        if (depacketizer.needsKeyframe() && (lastKeyframeAskMicros == Long.MIN_VALUE
                || p.mediaTime - lastKeyframeAskMicros >= KEYFRAME_ASK_AGAIN_MICROS)) {
            lastKeyframeAskMicros = p.mediaTime;
            keyframeRequest.accept(id.trackId());
        }
        if (f != null) {
            write(f);
        }
    }

    private void write(Vp8Depacketizer.Frame f) throws IOException {
        long millis = timeline.position(f.rtpTimestamp(), f.mediaTime()) / 90;
        if (f.keyframe()) {
            width = f.width();
            height = f.height();
        }
        if (lastFrameMillis >= 0 && millis <= lastFrameMillis - 1000) {
            return; // far in the past: a stale frame after a resync
        }
        if (file != null && millis >= segmentEndMillis) {
            if (f.keyframe() || millis >= segmentEndMillis + segmentMillis) {
                closeSegment();
            } else if (!keyframeAsked) {
                keyframeAsked = true;
                keyframeRequest.accept(id.trackId());
            }
        }
        if (file == null) {
            if (width == 0) {
                return; // no keyframe seen yet: nothing could decode this
            }
            openSegment(millis);
        }
        if (lastFrameMillis >= 0 && millis - lastFrameMillis >= REPORTED_GAP_MILLIS) {
            gaps.add(new SegmentRecord.Gap(lastFrameMillis * 1000, millis * 1000, "no video"));
        }
        file.write(f.data(), millis - segmentStartMillis, f.keyframe());
        lastFrameMillis = Math.max(lastFrameMillis, millis);
        frames++;
    }

    private void openSegment(long millis) throws IOException {
        segmentStartMillis = millis;
        segmentEndMillis = (millis / segmentMillis + 1) * segmentMillis;
        keyframeAsked = false;
        part = spool.open(key(index));
        file = new WebmFile(part, width, height);
    }

    private String key(int n) {
        return id.dirKey() + "segment-" + n + ".webm";
    }

    private void closeSegment() throws IOException {
        WebmFile f = file;
        file = null;
        f.close();
        long duration = Math.max(0, lastFrameMillis - segmentStartMillis) + 33; // the last frame shows ~1/30 s
        List<SegmentRecord.Gap> segmentGaps = new ArrayList<>(gaps);
        gaps.clear();
        committed.add(spool.commit(part, new SegmentRecord(id.meetingId(), id.recordingId(), id.kind(),
                id.participantId(), id.displayName(), id.trackId(), id.codec(), "webm", index, key(index),
                segmentStartMillis * 1000, duration * 1000, 0, "", width, height, segmentGaps, id.source())));
        index++;
    }

    @Override
    public void muted(boolean muted, long mediaTimeMicros) {
        // Video mute just stops frames; the gap shows in the manifest.
    }

    @Override
    public void end(long mediaTimeMicros, long recordingStartMicros) throws IOException {
        for (Packet p : jitter.drain()) {
            depacketize(p);
        }
        if (file != null) {
            closeSegment();
        }
    }

    @Override
    public void abandon() {
        WebmFile f = file;
        file = null;
        if (f != null) {
            try {
                f.close();
                java.nio.file.Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // .part files are cleaned on the next start.
            }
        }
    }

    @Override
    public List<SegmentRecord> committed() {
        return committed;
    }

    @Override
    public TrackIdentity identity() {
        return id;
    }

    @Override
    public TrackStats stats() {
        return new TrackStats(packets, frames, jitter.dropped(), 0, timeline.resyncs(), ssrcChanges,
                depacketizer.dropped());
    }
}
