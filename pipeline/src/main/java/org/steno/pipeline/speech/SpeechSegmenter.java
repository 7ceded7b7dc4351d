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
        if (e.kind() == TrackEvent.Kind.GAP) {
            out.collect(e); // for the transcript; the missing audio itself ends a segment by its media time
            return;
        }
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
        VadState within = staysInSpeech(s, e);
        if (within != null) {
            // The common case when behind: a merged event in the middle of speech goes on whole.
            out.collect(e.withSegment(TrackEvent.Kind.AUDIO, s.segmentStartMs()));
            vad.update(within);
            return;
        }
        // A merged event (the reader was behind) is judged frame by frame, exactly as if its
        // 20 ms frames had come one at a time, so segments do not depend on load; what goes
        // out is merged again (≤ 100 ms), and state is read and written once per event.
        Work w = new Work(s);
        AudioCoalescer merged = new AudioCoalescer(AudioCoalescer.DEFAULT_MAX_MS, out::collect);
        for (TrackEvent frame : AudioCoalescer.frames(e)) {
            step(w, frame, merged);
        }
        merged.flush();
        vad.update(w.state);
        if (w.prerollChanged) {
            if (w.preroll.isEmpty()) {
                preroll.clear();
            } else {
                preroll.update(w.preroll);
            }
        }
    }

    /**
     * The state after {@code e} if the track is in speech and every 20 ms frame of {@code e}
     * keeps it there (the same arithmetic as {@link #step}, without cutting the event into
     * frames); null otherwise, and the event is then worked through frame by frame.
     */
    private VadState staysInSpeech(VadState s, TrackEvent e) {
        byte[] pcm = e.pcm();
        if (!s.inSpeech() || pcm.length % AudioCoalescer.FRAME_BYTES != 0
                || e.mediaMs() > s.nextExpectedMs() + settings.hangoverMs()) {
            return null;
        }
        for (int at = 0; at < pcm.length; at += AudioCoalescer.FRAME_BYTES) {
            long dur = AudioCoalescer.FRAME_BYTES / 32;
            long frameMs = e.mediaMs() + at / 32;
            double level = FrameLevel.dbfs(pcm, at, AudioCoalescer.FRAME_BYTES);
            double floor = nextFloor(s.noiseFloorDb(), level, dur);
            boolean voiced = !Double.isNaN(s.noiseFloorDb())
                    && level >= Math.max(s.noiseFloorDb() + settings.marginDb(), settings.minSpeechDbfs());
            long next = frameMs + dur;
            long silence = voiced ? 0 : s.silenceRunMs() + dur;
            if (silence >= settings.hangoverMs() || next - s.segmentStartMs() >= settings.maxSegmentMs()) {
                return null; // the segment ends inside this event
            }
            s = new VadState(true, s.segmentStartMs(), s.speechRunMs() + (voiced ? dur : 0), silence, next, floor);
        }
        return s;
    }

    /** Detector state and pre-roll of the track while one event is worked through. */
    private final class Work {
        VadState state;
        List<TrackEvent> preroll;
        boolean prerollChanged;

        Work(VadState state) {
            this.state = state;
        }

        List<TrackEvent> preroll() throws Exception {
            if (preroll == null) {
                preroll = new ArrayList<>();
                for (TrackEvent p : SpeechSegmenter.this.preroll.get()) {
                    preroll.add(p);
                }
            }
            return preroll;
        }

        void setPreroll(List<TrackEvent> kept) {
            preroll = kept;
            prerollChanged = true;
        }
    }

    /** One frame through the detector (the logic is per frame; {@code w} carries state between frames). */
    private void step(Work w, TrackEvent e, AudioCoalescer out) throws Exception {
        VadState s = w.state;
        // Missing audio (a gap in the tap) ends the segment: the words either side are not one utterance.
        if (e.mediaMs() > s.nextExpectedMs() + settings.hangoverMs()) {
            if (s.inSpeech()) {
                out.add(e.withSegment(TrackEvent.Kind.SEGMENT_END, s.segmentStartMs()));
            }
            w.setPreroll(new ArrayList<>());
            s = new VadState(false, -1, 0, 0, e.mediaMs(), s.noiseFloorDb());
        }
        long dur = e.durationMs();
        double level = FrameLevel.dbfs(e.pcm());
        double floor = nextFloor(s.noiseFloorDb(), level, dur);
        boolean voiced = !Double.isNaN(s.noiseFloorDb()) && level >= Math.max(s.noiseFloorDb() + settings.marginDb(), settings.minSpeechDbfs());
        long next = e.mediaMs() + dur;

        if (s.inSpeech()) {
            out.add(e.withSegment(TrackEvent.Kind.AUDIO, s.segmentStartMs()));
            long silence = voiced ? 0 : s.silenceRunMs() + dur;
            boolean tooLong = next - s.segmentStartMs() >= settings.maxSegmentMs();
            if (silence >= settings.hangoverMs() || tooLong) {
                out.add(e.withSegment(TrackEvent.Kind.SEGMENT_END, s.segmentStartMs()));
                w.state = new VadState(false, -1, 0, 0, next, floor);
            } else {
                w.state = new VadState(true, s.segmentStartMs(), s.speechRunMs() + (voiced ? dur : 0), silence, next, floor);
            }
            return;
        }

        // Not in speech: keep a short pre-roll; open a segment once speech has lasted onsetMs.
        long run = voiced ? s.speechRunMs() + dur : 0;
        List<TrackEvent> kept = new ArrayList<>();
        for (TrackEvent p : w.preroll()) {
            if (p.mediaMs() + p.durationMs() > e.mediaMs() - settings.prerollMs() - run) {
                kept.add(p);
            }
        }
        kept.add(e);
        if (run >= settings.onsetMs()) {
            long start = kept.get(0).mediaMs();
            for (TrackEvent p : kept) {
                out.add(p.withSegment(TrackEvent.Kind.AUDIO, start));
            }
            w.setPreroll(new ArrayList<>());
            w.state = new VadState(true, start, run, 0, next, floor);
        } else {
            w.setPreroll(kept);
            w.state = new VadState(false, -1, run, 0, next, floor);
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
