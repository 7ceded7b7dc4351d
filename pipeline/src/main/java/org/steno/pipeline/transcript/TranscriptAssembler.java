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
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.steno.pipeline.speech.Recognition;
import org.steno.pipeline.speech.VoiceTurn;
import org.steno.pipeline.speech.VoiceTurns;
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
 *
 * <p>Shared microphones (second input: the diarizer's turns of the same track): captions name
 * the voice that overlaps the utterance most ("Room 4 (2)"); a closed segment is held until
 * the diarizer has confirmed its turns up to the segment's end (or failed, or the wait ran
 * out), then its words are attributed and split by voice, and the part names each voice as a
 * diarized speaker of the track's owner. Voices are numbered in order of first appearance.
 */
public final class TranscriptAssembler extends KeyedCoProcessFunction<String, Recognition, VoiceTurns, byte[]> {

    public static final OutputTag<TranscriptItem> TRANSCRIPT = new OutputTag<>("transcript") {
    };
    /** How long a closed shared track remembers its run, to drop the diarizer's stragglers. */
    static final java.time.Duration CLOSED_RUN_KEPT = java.time.Duration.ofMinutes(10);

    private final long attributionWaitMs;
    private transient MapState<String, Integer> revisions;
    private transient MapState<String, byte[]> finals;
    private transient MapState<String, VoiceTurn> turns;
    private transient MapState<String, Integer> voiceNumbers;
    private transient MapState<Long, TranscriptItem> heldParts;
    /** Processing time after which a held part (or, under key -1, the held close) stops waiting. */
    private transient MapState<Long, Long> holdDeadlines;
    private transient ValueState<Recognition> heldClose;
    private transient ValueState<Long> coveredUpTo;
    private transient ValueState<Boolean> diarizationEnded;
    /** Transcript id of this shared track's closed run: its late turns must not rebuild state. */
    private transient ValueState<String> closedRun;

    public TranscriptAssembler() {
        this(org.steno.pipeline.speech.DiarizerSettings.defaults("").attributionWaitMs());
    }

    /** @param attributionWaitMs longest wait for the diarizer before a shared microphone's part is stored anyway */
    public TranscriptAssembler(long attributionWaitMs) {
        this.attributionWaitMs = attributionWaitMs;
    }

    @Override
    public void open(OpenContext ctx) {
        revisions = getRuntimeContext().getMapState(new MapStateDescriptor<>("revisions", Types.STRING, Types.INT));
        finals = getRuntimeContext().getMapState(new MapStateDescriptor<String, byte[]>("finals", Types.STRING,
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        turns = getRuntimeContext().getMapState(new MapStateDescriptor<>("turns", Types.STRING, Types.POJO(VoiceTurn.class)));
        voiceNumbers = getRuntimeContext().getMapState(new MapStateDescriptor<>("voice-numbers", Types.STRING, Types.INT));
        heldParts = getRuntimeContext().getMapState(new MapStateDescriptor<>("held-parts", Types.LONG,
                Types.POJO(TranscriptItem.class)));
        holdDeadlines = getRuntimeContext().getMapState(new MapStateDescriptor<>("hold-deadlines", Types.LONG, Types.LONG));
        heldClose = getRuntimeContext().getState(new ValueStateDescriptor<>("held-close", Recognition.class));
        coveredUpTo = getRuntimeContext().getState(new ValueStateDescriptor<>("covered-up-to", Types.LONG));
        diarizationEnded = getRuntimeContext().getState(new ValueStateDescriptor<>("diarization-ended", Types.BOOLEAN));
        ValueStateDescriptor<String> closed = new ValueStateDescriptor<>("closed-run", Types.STRING);
        // Only stragglers need it, and only for a while: ended meetings must not keep state forever.
        closed.enableTimeToLive(org.apache.flink.api.common.state.StateTtlConfig.newBuilder(CLOSED_RUN_KEPT).build());
        closedRun = getRuntimeContext().getState(closed);
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

    /** Speaker id of the n-th voice diarized on a shared microphone. */
    public static String voiceSpeakerId(String trackId, int n) {
        return "spk-" + trackId + "-v" + n;
    }

    @Override
    public void processElement1(Recognition r, Context ctx, Collector<byte[]> out) throws Exception {
        switch (r.kind()) {
            case RESULT -> result(r, out);
            case SEGMENT_CLOSED -> segmentClosed(r, ctx);
            case GAP -> ctx.output(TRANSCRIPT, TranscriptItem.gap(r.meetingId(), r.transcriptId(), r.trackId(),
                    r.mediaStartMs(), r.mediaEndMs(), r.text(), r.meeting()));
            case TRACK_CLOSED -> {
                // Segments the recogniser never confirmed (the track ended abruptly) still go out.
                for (Long seg : openSegments()) {
                    segmentClosed(withSegment(r, seg), ctx);
                }
                revisions.clear();
                finals.clear();
                if (r.sharedMicrophone() && !Boolean.TRUE.equals(diarizationEnded.value())
                        && !r.transcriptId().equals(closedRun.value())) {
                    heldClose.update(r); // the diarizer's last turns may still come
                    hold(HELD_CLOSE, ctx);
                    return;
                }
                releaseHeld(Long.MAX_VALUE, ctx);
                closeTrack(r, ctx);
            }
        }
    }

    /** The diarizer's turns of a shared microphone. */
    @Override
    public void processElement2(VoiceTurns v, Context ctx, Collector<byte[]> out) throws Exception {
        String closed = closedRun.value();
        if (closed != null) {
            if (closed.equals(v.transcriptId())) {
                return; // stragglers after the track's transcript was closed
            }
            closedRun.clear(); // captions were turned on again: a new run of the same track
        }
        switch (v.kind()) {
            case TURNS -> {
                for (VoiceTurn t : v.turns()) {
                    VoiceTurn known = turns.get(t.turnId());
                    if (t.withdrawn()) {
                        turns.remove(t.turnId());
                    } else if (known == null || known.revision() <= t.revision()) {
                        turns.put(t.turnId(), t);
                    }
                }
            }
            case COVERED -> {
                Long c = coveredUpTo.value();
                coveredUpTo.update(Math.max(c == null ? Long.MIN_VALUE : c, v.coveredUpToMs()));
                releaseHeld(coveredUpTo.value(), ctx);
            }
            case UNAVAILABLE -> {
                // No turns will come for speech before its mark either: a part that closes later
                // but ends by then is stored at once instead of waiting out its hold.
                Long c = coveredUpTo.value();
                coveredUpTo.update(Math.max(c == null ? Long.MIN_VALUE : c, v.coveredUpToMs()));
                releaseHeld(Long.MAX_VALUE, ctx);
            }
            case ENDED -> {
                diarizationEnded.update(true);
                releaseHeld(Long.MAX_VALUE, ctx);
                Recognition close = heldClose.value();
                if (close != null) {
                    closeTrack(close, ctx);
                }
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<byte[]> out) throws Exception {
        // The diarizer is late: store what has waited long enough, attributed as far as the turns known allow.
        Long closeDue = holdDeadlines.get(HELD_CLOSE);
        if (closeDue != null && closeDue <= timestamp) {
            releaseHeld(Long.MAX_VALUE, ctx);
            Recognition close = heldClose.value();
            if (close != null) {
                closeTrack(close, ctx);
            }
            return;
        }
        List<Long> due = new ArrayList<>();
        for (Map.Entry<Long, Long> e : holdDeadlines.entries()) {
            if (e.getKey() != HELD_CLOSE && e.getValue() <= timestamp) {
                due.add(e.getKey());
            }
        }
        for (Long seg : due) {
            TranscriptItem item = heldParts.get(seg);
            if (item != null) {
                release(seg, item, ctx);
            }
        }
    }

    /** Key of the held close in {@link #holdDeadlines} (segments start at media time ≥ 0). */
    private static final long HELD_CLOSE = -1;

    private void hold(long key, Context ctx) throws Exception {
        long due = ctx.timerService().currentProcessingTime() + attributionWaitMs;
        holdDeadlines.put(key, due);
        ctx.timerService().registerProcessingTimeTimer(due);
    }

    private void closeTrack(Recognition r, Context ctx) throws Exception {
        ctx.output(TRANSCRIPT, new TranscriptItem(TranscriptItem.Kind.TRACK_CLOSED, r.meetingId(), r.transcriptId(),
                r.trackId(), r.mediaStartMs(), r.mediaEndMs(), new byte[0], r.meetingEnd(), r.meetingTracks(), r.meeting()));
        turns.clear();
        voiceNumbers.clear();
        heldParts.clear();
        holdDeadlines.clear();
        heldClose.clear();
        coveredUpTo.clear();
        diarizationEnded.clear();
        if (r.sharedMicrophone()) {
            closedRun.update(r.transcriptId());
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
        String speakerName = r.speakerName();
        if (r.sharedMicrophone()) {
            long from = r.words().length > 0 ? r.words()[0].startMs() : r.mediaStartMs();
            long to = r.words().length > 0 ? r.words()[r.words().length - 1].endMs() : r.mediaEndMs();
            String voice = VoiceAttribution.voiceOf(from, to, currentTurns());
            if (voice != null) {
                speakerName = voiceName(r.speakerName(), voiceNumber(voice));
            }
        }
        CaptionEvent.Builder c = CaptionEvent.newBuilder()
                .setMeetingId(r.meetingId())
                .setSegmentId(id)
                .setRevision(revision)
                .setKind(kind)
                .setSpeakerIdentity(r.speakerIdentity())
                .setSpeakerDisplayName(speakerName)
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
        TranscriptItem item = new TranscriptItem(TranscriptItem.Kind.PART, r.meetingId(), r.transcriptId(), r.trackId(),
                r.segmentStartMs(), end, part.toByteArray(), false, new String[0], r.meeting());
        if (!r.sharedMicrophone()) {
            ctx.output(TRANSCRIPT, item);
            return;
        }
        Long covered = coveredUpTo.value();
        heldParts.put(r.segmentStartMs(), item);
        if (Boolean.TRUE.equals(diarizationEnded.value()) || covered != null && covered >= end) {
            releaseHeld(covered == null ? Long.MAX_VALUE : covered, ctx);
        } else {
            hold(r.segmentStartMs(), ctx);
        }
    }

    /** Stores the held parts of a shared microphone that end by {@code upToMs}, attributed to voices. */
    private void releaseHeld(long upToMs, Context ctx) throws Exception {
        TreeMap<Long, TranscriptItem> ready = new TreeMap<>();
        for (Map.Entry<Long, TranscriptItem> e : heldParts.entries()) {
            if (e.getValue().endMs() <= upToMs) {
                ready.put(e.getKey(), e.getValue());
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        for (Map.Entry<Long, TranscriptItem> e : ready.entrySet()) {
            release(e.getKey(), e.getValue(), ctx);
        }
        // Turns well before what still waits will not be asked for again (captions look at recent ones).
        long keepFrom = ready.firstKey() - 60_000;
        for (Long held : heldParts.keys()) {
            keepFrom = Math.min(keepFrom, held - 60_000);
        }
        List<String> old = new ArrayList<>();
        for (Map.Entry<String, VoiceTurn> t : turns.entries()) {
            if (t.getValue().endMs() < keepFrom) {
                old.add(t.getKey());
            }
        }
        for (String k : old) {
            turns.remove(k);
        }
    }

    /** Stores one held part, attributed with the turns known now. */
    private void release(long segmentStart, TranscriptItem i, Context ctx) throws Exception {
        heldParts.remove(segmentStart);
        holdDeadlines.remove(segmentStart);
        TranscriptPart attributed = attribute(TranscriptPart.parseFrom(i.part()), currentTurns());
        ctx.output(TRANSCRIPT, new TranscriptItem(i.kind(), i.meetingId(), i.transcriptId(), i.trackId(), i.startMs(),
                i.endMs(), attributed.toByteArray(), i.meetingEnd(), i.meetingTracks(), i.meeting()));
    }

    /** The part with each utterance split by voice and each voice named as a diarized speaker of the owner. */
    private TranscriptPart attribute(TranscriptPart p, List<VoiceTurn> known) throws Exception {
        Speaker owner = p.getSpeakers(0);
        Map<String, Speaker> speakers = new java.util.LinkedHashMap<>();
        List<Segment> segments = new ArrayList<>();
        Map<String, String> labels = new java.util.HashMap<>();
        known.forEach(t -> labels.put(t.voice(), t.label()));
        for (Segment s : p.getSegmentsList()) {
            for (VoiceAttribution.Run run : VoiceAttribution.split(s, known)) {
                if (run.voice() == null) {
                    speakers.putIfAbsent(owner.getSpeakerId(), owner);
                    segments.add(run.segment());
                    continue;
                }
                int n = voiceNumber(run.voice());
                String id = voiceSpeakerId(p.getTrackId(), n);
                speakers.putIfAbsent(id, owner.toBuilder().setSpeakerId(id).setDisplayName(voiceName(owner.getDisplayName(), n))
                        .setIsDiarized(true).setDiarizationLabel(labels.getOrDefault(run.voice(), "")).build());
                segments.add(run.segment().toBuilder().setSpeakerId(id).build());
            }
        }
        return p.toBuilder().clearSpeakers().addAllSpeakers(speakers.values()).clearSegments().addAllSegments(segments).build();
    }

    private List<VoiceTurn> currentTurns() throws Exception {
        List<VoiceTurn> list = new ArrayList<>();
        turns.values().forEach(list::add);
        return list;
    }

    private int voiceNumber(String voice) throws Exception {
        Integer n = voiceNumbers.get(voice);
        if (n == null) {
            int count = 0;
            for (String ignored : voiceNumbers.keys()) {
                count++;
            }
            n = count + 1;
            voiceNumbers.put(voice, n);
        }
        return n;
    }

    /** How a voice of a shared microphone is shown: the owner's name and the voice's number. */
    public static String voiceName(String owner, int n) {
        return owner + " (" + n + ")";
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
                new Word[0], seg, seg, false, new String[0], r.meeting(), r.sourceEpochMs(),
                r.sharedMicrophone());
    }

    private static Segment parse(byte[] b) {
        try {
            return Segment.parseFrom(b);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt segment in state", e);
        }
    }
}
