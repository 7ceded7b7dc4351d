package org.steno.pipeline.speech;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per-track speech segmentation with an energy voice-activity detector: it passes on only
 * the audio of speech segments (with a little pre-roll), tags each frame with its segment's
 * start, and marks each segment's end so the recogniser flushes on silence. Silence is not
 * sent to the model at all. State is keyed and checkpointed, so a restore cuts the same
 * segments from the same audio.
 */
public final class SpeechSegmenter extends KeyedProcessFunction<String, TrackEvent, TrackEvent> {

    private final SegmentationSettings settings;
    private transient ValueState<VadState> vad;
    private transient ListState<TrackEvent> preroll;

    public SpeechSegmenter(SegmentationSettings settings) {
        this.settings = settings;
    }

    /** Detector state of one track; a record, so Flink serialises it as a POJO. */
    public record VadState(boolean inSpeech, long segmentStartMs, long speechRunMs, long silenceRunMs,
                           long nextExpectedMs, double noiseFloorDb) {
    }

    @Override
    public void open(OpenContext ctx) {
        vad = getRuntimeContext().getState(new ValueStateDescriptor<>("vad", VadState.class));
        preroll = getRuntimeContext().getListState(new ListStateDescriptor<>("preroll", TrackEvent.class));
    }

    @Override
    public void processElement(TrackEvent e, Context ctx, Collector<TrackEvent> out) throws Exception {
        VadState s = vad.value();
        if (s == null) {
            // The floor starts at the first frame's level and follows quieter frames at once.
            s = new VadState(false, -1, 0, 0, e.mediaMs(), Double.NaN);
        }
        if (e.kind() == TrackEvent.Kind.TRACK_END) {
            if (s.inSpeech()) {
                out.collect(e.withSegment(TrackEvent.Kind.SEGMENT_END, s.segmentStartMs()));
            }
            vad.clear();
            preroll.clear();
            out.collect(e);
            return;
        }
        if (e.kind() != TrackEvent.Kind.AUDIO || e.pcm() == null || e.pcm().length == 0) {
            return;
        }
        // Missing audio (a gap in the tap) ends the segment: the words either side are not one utterance.
        if (e.mediaMs() > s.nextExpectedMs() + settings.hangoverMs()) {
            if (s.inSpeech()) {
                out.collect(e.withSegment(TrackEvent.Kind.SEGMENT_END, s.segmentStartMs()));
            }
            preroll.clear();
            s = new VadState(false, -1, 0, 0, e.mediaMs(), s.noiseFloorDb());
        }
        long dur = e.durationMs();
        double level = FrameLevel.dbfs(e.pcm());
        double floor = nextFloor(s.noiseFloorDb(), level, dur);
        boolean voiced = !Double.isNaN(s.noiseFloorDb()) && level >= Math.max(s.noiseFloorDb() + settings.marginDb(), settings.minSpeechDbfs());
        long next = e.mediaMs() + dur;

        if (s.inSpeech()) {
            out.collect(e.withSegment(TrackEvent.Kind.AUDIO, s.segmentStartMs()));
            long silence = voiced ? 0 : s.silenceRunMs() + dur;
            boolean tooLong = next - s.segmentStartMs() >= settings.maxSegmentMs();
            if (silence >= settings.hangoverMs() || tooLong) {
                out.collect(e.withSegment(TrackEvent.Kind.SEGMENT_END, s.segmentStartMs()));
                vad.update(new VadState(false, -1, 0, 0, next, floor));
            } else {
                vad.update(new VadState(true, s.segmentStartMs(), s.speechRunMs() + (voiced ? dur : 0), silence, next, floor));
            }
            return;
        }

        // Not in speech: keep a short pre-roll; open a segment once speech has lasted onsetMs.
        long run = voiced ? s.speechRunMs() + dur : 0;
        List<TrackEvent> kept = new ArrayList<>();
        for (TrackEvent p : preroll.get()) {
            if (p.mediaMs() + p.durationMs() > e.mediaMs() - settings.prerollMs() - run) {
                kept.add(p);
            }
        }
        kept.add(e);
        if (run >= settings.onsetMs()) {
            long start = kept.get(0).mediaMs();
            for (TrackEvent p : kept) {
                out.collect(p.withSegment(TrackEvent.Kind.AUDIO, start));
            }
            preroll.clear();
            vad.update(new VadState(true, start, run, 0, next, floor));
        } else {
            preroll.update(kept);
            vad.update(new VadState(false, -1, run, 0, next, floor));
        }
    }

    /** The floor follows quiet frames at once and rises slowly (3 dB/s), so speech does not lift it. */
    static double nextFloor(double floor, double level, long durMs) {
        if (Double.isNaN(floor) || level < floor) {
            return level;
        }
        return Math.min(level, floor + 3.0 * durMs / 1000.0);
    }
}
