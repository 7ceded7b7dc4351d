package org.steno.pipeline.transcript;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.steno.pipeline.speech.Recognition;
import org.steno.pipeline.speech.Word;
import org.steno.proto.captions.v1.CaptionEvent;
import org.steno.proto.captions.v1.CaptionKind;
import org.steno.proto.captions.v1.CaptionWord;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.TranscriptPart;

/**
 * Turns recognition results of one track into captions and transcript parts.
 *
 * <p>Ids are stable: a caption segment is {@code <trackId>/<segmentStartMs>-<ordinal>} (the
 * speech segment from segmentation and the utterance's rank in it), so a replay after a
 * restore or reconnect addresses the same segment. Revisions are numbered here, in keyed
 * state, and only grow, whatever the recogniser's own numbering does across sessions. Final
 * utterances are kept per segment (overwritten, never appended, so a replay cannot
 * duplicate them) until the segment is confirmed, then go out as one {@code TranscriptPart}.
 * Main output: serialized {@code CaptionEvent}s; side output {@link #TRANSCRIPT}.
 */
public final class TranscriptAssembler extends KeyedProcessFunction<String, Recognition, byte[]> {

    public static final OutputTag<TranscriptItem> TRANSCRIPT = new OutputTag<>("transcript") {
    };

    private transient MapState<String, Integer> revisions;
    private transient MapState<String, byte[]> finals;

    @Override
    public void open(OpenContext ctx) {
        revisions = getRuntimeContext().getMapState(new MapStateDescriptor<>("revisions", Types.STRING, Types.INT));
        finals = getRuntimeContext().getMapState(new MapStateDescriptor<String, byte[]>("finals", Types.STRING,
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    /** Id of the caption segment of an utterance; stable across replays. */
    public static String captionSegmentId(Recognition r) {
        return r.trackId() + "/" + r.segmentStartMs() + "-" + r.ordinal();
    }

    /** Id of the transcript segment of an utterance: {@code <trackId>-<startMs>}, as the contract suggests. */
    public static String transcriptSegmentId(Recognition r) {
        return r.trackId() + "-" + r.mediaStartMs();
    }

    /** Speaker id of a per-speaker track in the transcript. */
    public static String speakerId(String trackId) {
        return "spk-" + trackId;
    }

    @Override
    public void processElement(Recognition r, Context ctx, Collector<byte[]> out) throws Exception {
        switch (r.kind()) {
            case RESULT -> result(r, out);
            case SEGMENT_CLOSED -> segmentClosed(r, ctx);
            case TRACK_CLOSED -> {
                // Segments the recogniser never confirmed (the track ended abruptly) still go out.
                for (Long seg : openSegments()) {
                    segmentClosed(withSegment(r, seg), ctx);
                }
                revisions.clear();
                finals.clear();
                ctx.output(TRANSCRIPT, new TranscriptItem(TranscriptItem.Kind.TRACK_CLOSED, r.meetingId(), r.transcriptId(),
                        r.trackId(), r.mediaStartMs(), r.mediaEndMs(), new byte[0], r.meetingEnd(), r.meetingTracks(), r.meeting()));
            }
        }
    }

    private void result(Recognition r, Collector<byte[]> out) throws Exception {
        String id = captionSegmentId(r);
        Integer last = revisions.get(id);
        if (r.text().isEmpty() && (last == null || !r.isFinal())) {
            return; // nothing shown yet and nothing to show
        }
        int revision = last == null ? 0 : last + 1;
        revisions.put(id, revision);
        CaptionKind kind = r.isFinal()
                ? (r.text().isEmpty() ? CaptionKind.CAPTION_KIND_RETRACTED : CaptionKind.CAPTION_KIND_FINAL)
                : CaptionKind.CAPTION_KIND_INTERIM;
        CaptionEvent.Builder c = CaptionEvent.newBuilder()
                .setMeetingId(r.meetingId())
                .setSegmentId(id)
                .setRevision(revision)
                .setKind(kind)
                .setSpeakerIdentity(r.speakerIdentity())
                .setSpeakerDisplayName(r.speakerName())
                .setParticipantId(r.participantId())
                .setTrackId(r.trackId())
                .setText(r.text())
                .setLanguageCode(r.language() == null ? "" : r.language())
                .setStability(r.stability())
                .setMediaStart(Durations.fromMillis(r.mediaStartMs()))
                .setMediaEnd(Durations.fromMillis(Math.max(r.mediaStartMs(), r.mediaEndMs())))
                .setProducedTime(Timestamps.fromMillis(System.currentTimeMillis()));
        for (Word w : r.words()) {
            c.addWords(CaptionWord.newBuilder().setWord(w.text()).setMediaStart(Durations.fromMillis(w.startMs()))
                    .setMediaEnd(Durations.fromMillis(w.endMs())).setConfidence(w.confidence()));
        }
        out.collect(c.build().toByteArray());
        if (r.isFinal() && !r.text().isEmpty()) {
            finals.put(r.segmentStartMs() + "/" + r.ordinal(), segment(r).toByteArray());
        }
    }

    private static Segment segment(Recognition r) {
        Segment.Builder s = Segment.newBuilder()
                .setSegmentId(transcriptSegmentId(r))
                .setSpeakerId(speakerId(r.trackId()))
                .setTrackId(r.trackId())
                .setMediaStart(Durations.fromMillis(r.mediaStartMs()))
                .setMediaEnd(Durations.fromMillis(Math.max(r.mediaStartMs(), r.mediaEndMs())))
                .setText(r.text());
        float conf = 0;
        for (Word w : r.words()) {
            s.addWords(org.steno.proto.transcript.v1.Word.newBuilder().setText(w.text())
                    .setMediaStart(Durations.fromMillis(w.startMs())).setMediaEnd(Durations.fromMillis(w.endMs()))
                    .setConfidence(w.confidence()));
            conf += w.confidence();
        }
        if (r.words().length > 0) {
            s.setConfidence(conf / r.words().length);
        }
        return s.build();
    }

    private void segmentClosed(Recognition r, Context ctx) throws Exception {
        String prefix = r.segmentStartMs() + "/";
        TreeMap<Integer, Segment> ordered = new TreeMap<>();
        List<String> done = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : finals.entries()) {
            if (e.getKey().startsWith(prefix)) {
                ordered.put(Integer.parseInt(e.getKey().substring(prefix.length())), parse(e.getValue()));
                done.add(e.getKey());
            }
        }
        for (String k : done) {
            finals.remove(k);
        }
        List<String> revs = new ArrayList<>();
        for (String k : revisions.keys()) {
            if (k.startsWith(r.trackId() + "/" + prefix.replace("/", "-"))) {
                revs.add(k);
            }
        }
        for (String k : revs) {
            revisions.remove(k);
        }
        if (ordered.isEmpty()) {
            return;
        }
        long end = r.segmentStartMs();
        for (Segment s : ordered.values()) {
            end = Math.max(end, Durations.toMillis(s.getMediaEnd()));
        }
        TranscriptPart part = TranscriptPart.newBuilder()
                .setTranscriptId(r.transcriptId())
                .setMeetingId(r.meetingId())
                .setTrackId(r.trackId())
                .setMediaStart(Durations.fromMillis(r.segmentStartMs()))
                .setMediaEnd(Durations.fromMillis(end))
                .addSpeakers(Speaker.newBuilder().setSpeakerId(speakerId(r.trackId())).setDisplayName(r.speakerName())
                        .setIdentity(r.speakerIdentity()).setParticipantId(r.participantId()).setSourceTrackId(r.trackId()))
                .addAllSegments(ordered.values())
                .build();
        ctx.output(TRANSCRIPT, new TranscriptItem(TranscriptItem.Kind.PART, r.meetingId(), r.transcriptId(), r.trackId(),
                r.segmentStartMs(), end, part.toByteArray(), false, new String[0], r.meeting()));
    }

    private List<Long> openSegments() throws Exception {
        TreeMap<Long, Boolean> segs = new TreeMap<>();
        for (String k : finals.keys()) {
            segs.put(Long.parseLong(k.substring(0, k.indexOf('/'))), true);
        }
        return new ArrayList<>(segs.keySet());
    }

    private static Recognition withSegment(Recognition r, long seg) {
        return new Recognition(Recognition.Kind.SEGMENT_CLOSED, r.meetingId(), r.transcriptId(), r.trackId(),
                r.participantId(), r.speakerIdentity(), r.speakerName(), r.language(), seg, 0, 0, true, 1f, "",
                new Word[0], seg, seg, false, new String[0], r.meeting(), r.sourceEpochMs());
    }

    private static Segment parse(byte[] b) {
        try {
            return Segment.parseFrom(b);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt segment in state", e);
        }
    }
}
