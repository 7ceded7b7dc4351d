package org.steno.pipeline.transcript;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.steno.pipeline.speech.MeetingMeta;
import org.steno.proto.transcript.v1.CoverageGap;
import org.steno.proto.transcript.v1.ProcessingInfo;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.proto.transcript.v1.TranscriptPart;
import org.steno.proto.transcript.v1.TranscriptStatus;

/**
 * Assembles the final {@code Transcript} from the parts of every track: speakers merged by
 * id, segments in media order (ties by id), a segment id seen twice kept once; COMPLETE unless
 * some audio was never transcribed (then PARTIAL, with the gaps in media order).
 */
public final class TranscriptBuilder {

    public static final String PIPELINE_VERSION = "0.1.0";

    private TranscriptBuilder() {
    }

    public static Transcript build(String meetingId, String transcriptId, MeetingMeta meta, long mediaDurationMs,
                                   List<TranscriptPart> parts, List<CoverageGap> gaps, long nowEpochMs) {
        Map<String, Speaker> speakers = new LinkedHashMap<>();
        Map<String, Segment> segments = new LinkedHashMap<>();
        for (TranscriptPart p : parts) {
            p.getSpeakersList().forEach(s -> speakers.putIfAbsent(s.getSpeakerId(), s));
            p.getSegmentsList().forEach(s -> segments.putIfAbsent(s.getSegmentId(), s));
        }
        List<Segment> ordered = new ArrayList<>(segments.values());
        ordered.sort(Comparator.comparingLong((Segment s) -> Durations.toMillis(s.getMediaStart()))
                .thenComparing(Segment::getSegmentId));
        long end = mediaDurationMs;
        for (Segment s : ordered) {
            end = Math.max(end, Durations.toMillis(s.getMediaEnd()));
        }
        Transcript.Builder t = Transcript.newBuilder()
                .setSchemaVersion(1)
                .setTranscriptId(transcriptId)
                .setMeetingId(meetingId)
                .setRecordingId(meta.recordingId())
                .setTitle(meta.title())
                .setLanguageCode(meta.language())
                .setStatus(gaps.isEmpty() ? TranscriptStatus.TRANSCRIPT_STATUS_COMPLETE : TranscriptStatus.TRANSCRIPT_STATUS_PARTIAL)
                .setCreateTime(Timestamps.fromMillis(nowEpochMs))
                .setMediaDuration(Durations.fromMillis(end))
                .addAllSpeakers(speakers.values())
                .addAllSegments(ordered)
                .addAllGaps(gaps.stream().sorted(Comparator.comparingLong((CoverageGap g) -> Durations.toMillis(g.getMediaStart()))
                        .thenComparing(CoverageGap::getTrackId)).toList())
                .setProcessing(ProcessingInfo.newBuilder().setPipelineVersion(PIPELINE_VERSION));
        if (meta.startEpochMs() > 0) {
            t.setMeetingStartTime(Timestamps.fromMillis(meta.startEpochMs()));
        }
        return t.build();
    }
}
