package org.steno.models.diarize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streaming diarization with bounded latency and bounded memory, built on {@link BuiltinDiarizer}.
 *
 * <p>Every {@code step} of audio (half the latency budget) the last {@value #CONTEXT_SECONDS} s
 * of features are diarized again. Turns ending more than {@code lag} before the newest audio
 * become final; newer ones are sent provisional and revised (same id, higher revision) or
 * withdrawn as more audio arrives. Speaker labels stay stable across the stream: the clusters
 * of each pass are matched to the global speakers by the frames they share with turns already
 * sent (Hungarian assignment), and a cluster that shares none is matched to the stored voice
 * model (Gaussian statistics of everything finalised for that speaker) whose ΔBIC says it is
 * the same voice — or becomes a new speaker. Memory: the context's features (about 8 KB per
 * second of context), one d × d statistic per speaker and the finalised turns (a few dozen
 * bytes each). CPU: one re-diarization of at most the context per step. Not thread-safe: one
 * per stream.
 */
public final class StreamingDiarizer {

    /** Audio kept for re-diarization; longer gives steadier labels, costs more CPU per step. Must exceed MAX_OPEN_SECONDS + FINAL_LAG_SECONDS. */
    static final double CONTEXT_SECONDS = 60;
    /**
     * The BIC penalty of a region pass, relative to the whole-file one. A region holds only a few
     * seconds of each voice, where the penalty outweighs the evidence and two voices merge; and
     * a turn once final cannot be relabelled. Splitting a voice in a region costs little, since
     * linking joins the pieces again through the turns they share.
     */
    static final double REGION_PENALTY_FACTOR = 0.8;
    /** A turn still open after this long is cut and finalised piecewise. */
    static final double MAX_OPEN_SECONDS = 15;
    /** Least delay before a turn becomes final. */
    static final double FINAL_LAG_SECONDS = 8;

    private final BuiltinDiarizer engine;
    private final BuiltinDiarizer regionEngine;
    private final SpeakerCount count;
    private final int stepFrames;
    private final int lagFrames;
    private final int contextFrames = (int) (CONTEXT_SECONDS * Features.FRAME_RATE);
    private final int maxOpenFrames = (int) (MAX_OPEN_SECONDS * Features.FRAME_RATE);

    private final MfccExtractor extractor = new MfccExtractor();
    private final FrameBuffer frames = new FrameBuffer();
    private final List<GaussianStats> speakerModels = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private final List<Turn> finalTurns = new ArrayList<>();
    private long samplesSeen;
    private long committedFrame;
    private long lastAnalysisFrame;
    private int nextTurnId;
    /** Label shown to clients for each internal speaker, assigned when first sent, so labels have no gaps. */
    private final java.util.Map<Integer, Integer> publicLabels = new java.util.HashMap<>();

    /** A provisional turn already sent. */
    private static final class Pending {
        final String id;
        int revision;
        Turn turn;

        Pending(String id, Turn turn) {
            this.id = id;
            this.turn = turn;
        }
    }

    /**
     * @param latencyBudgetSeconds longest delay between audio and the first provisional turn
     *                             covering it (0.5–30 s)
     */
    public StreamingDiarizer(BuiltinDiarizer engine, SpeakerCount count, double latencyBudgetSeconds) {
        if (!(latencyBudgetSeconds >= 0.5 && latencyBudgetSeconds <= 30)) {
            throw new IllegalArgumentException("latency budget must be 0.5–30 s, got " + latencyBudgetSeconds);
        }
        this.engine = engine;
        BuiltinDiarizer.Settings s = engine.settings();
        this.regionEngine = new BuiltinDiarizer(new BuiltinDiarizer.Settings(s.bicPenalty() * REGION_PENALTY_FACTOR,
                s.changePenalty(), s.switchPenalty(), s.bridgeSeconds(), s.minTurnSeconds()));
        this.count = count;
        // Audio waits at most one step plus the analysis itself before a turn covers it.
        this.stepFrames = Math.max(25, (int) (latencyBudgetSeconds / 2 * Features.FRAME_RATE));
        // Finalising waits longer than the budget: a voice heard for only a few seconds is easily
        // merged with another, and the turns it gets then can no longer be corrected.
        this.lagFrames = (int) (Math.max(FINAL_LAG_SECONDS, 2 * latencyBudgetSeconds) * Features.FRAME_RATE);
    }

    /** Seconds of audio received so far. */
    public double audioSeconds() {
        return (double) samplesSeen / MfccExtractor.SAMPLE_RATE;
    }

    /** Every turn finalised so far, in start order. */
    public List<Turn> finalTurns() {
        List<Turn> copy = new ArrayList<>(finalTurns);
        copy.sort(java.util.Comparator.comparingDouble(Turn::start));
        return copy;
    }

    /** Feeds audio (16 kHz mono, [-1, 1]); returns the turn updates it caused, possibly none. */
    public List<TurnUpdate> accept(float[] samples) {
        samplesSeen += samples.length;
        List<float[]> cepstra = new ArrayList<>();
        List<Float> energy = new ArrayList<>();
        extractor.accept(samples, 0, samples.length, cepstra, energy);
        for (int i = 0; i < cepstra.size(); i++) {
            frames.add(cepstra.get(i), energy.get(i));
        }
        if (frames.end() - lastAnalysisFrame >= stepFrames) {
            return analyse(false);
        }
        return List.of();
    }

    /** Finalises every turn covering audio received so far (a flush marker or end of audio). */
    public List<TurnUpdate> flush() {
        return analyse(true);
    }

    /** End of audio: same as {@link #flush()}. */
    public List<TurnUpdate> finish() {
        return flush();
    }

    private List<TurnUpdate> analyse(boolean finaliseAll) {
        long now = frames.end();
        lastAnalysisFrame = now;
        List<TurnUpdate> updates = new ArrayList<>();
        if (now <= committedFrame) {
            withdrawAll(updates);
            return updates;
        }
        long first = frames.start();
        int n = (int) (now - first);
        Features region = frames.features();
        double threshold = SpeechDetector.threshold(region.energyDb(), 0, n);
        boolean[] speech = SpeechDetector.detect(region.energyDb(), 0, n, threshold);
        SpeakerCount regionCount = SpeakerCount.between(1, count.upper());
        BuiltinDiarizer.Result result = regionEngine.diarize(region, speech, regionCount);
        int[] local = result.frameLabels();
        int[] globalOfLocal = linkSpeakers(local, result.speakers(), first);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = local[i] < 0 ? -1 : globalOfLocal[local[i]];
            // Audio already finalised keeps the labels it was finalised with.
            if (first + i < committedFrame) {
                labels[i] = -1;
            }
        }
        List<Turn> turns = engine.turns(labels, result.margins(), speakerModels.size(), first);

        long finaliseBefore = finaliseAll ? now : now - lagFrames;
        List<Turn> toCommit = new ArrayList<>();
        List<Turn> provisional = new ArrayList<>();
        long newCommitted = Math.max(committedFrame, finaliseBefore);
        for (Turn t : turns) {
            long endFrame = frameOf(t.end());
            long startFrame = frameOf(t.start());
            if (endFrame <= finaliseBefore) {
                toCommit.add(t);
            } else if (startFrame < finaliseBefore && !finaliseAll) {
                if (finaliseBefore - startFrame > maxOpenFrames) {
                    // A very long turn: finalise what lies before the lag, keep the rest open.
                    toCommit.add(new Turn(t.speaker(), t.start(), BuiltinDiarizer.frameTime(finaliseBefore), t.confidence()));
                    provisional.add(new Turn(t.speaker(), BuiltinDiarizer.frameTime(finaliseBefore), t.end(), t.confidence()));
                } else {
                    newCommitted = Math.min(newCommitted, startFrame);
                    provisional.add(t);
                }
            } else {
                provisional.add(t);
            }
        }
        // Match against what was sent: same speaker, largest overlap.
        boolean[] matched = new boolean[pending.size()];
        List<Pending> stillPending = new ArrayList<>();
        for (Turn t : toCommit) {
            Pending p = match(t, matched);
            String id = p != null ? p.id : newId();
            int revision = p != null ? p.revision + 1 : 0;
            updates.add(new TurnUpdate(id, revision, true, false, publicLabel(t.speaker()), t.start(), t.end(), t.confidence()));
            finalTurns.add(new Turn(publicLabel(t.speaker()), t.start(), t.end(), t.confidence()));
            learn(t, labels, first);
        }
        for (Turn t : provisional) {
            Pending p = match(t, matched);
            if (p == null) {
                p = new Pending(newId(), t);
                updates.add(update(p, false));
            } else if (changed(p.turn, t)) {
                p.revision++;
                p.turn = t;
                updates.add(update(p, false));
            }
            stillPending.add(p);
        }
        for (int i = 0; i < pending.size(); i++) {
            if (!matched[i]) {
                Pending p = pending.get(i);
                updates.add(withdrawal(p));
            }
        }
        pending.clear();
        pending.addAll(stillPending);
        committedFrame = newCommitted;
        for (int i = 0; i < n; i++) {
            if (first + i < committedFrame) {
                frames.setLabel(first + i, labels[i] >= 0 ? labels[i] : frames.label(first + i));
            }
        }
        // Keep the context, never audio that is not yet final.
        frames.dropBefore(Math.min(committedFrame, now - contextFrames));
        updates.sort(java.util.Comparator.comparingDouble(TurnUpdate::start));
        return updates;
    }

    private void withdrawAll(List<TurnUpdate> updates) {
        for (Pending p : pending) {
            updates.add(withdrawal(p));
        }
        pending.clear();
    }

    /**
     * Maps this pass's clusters to global speakers: first by the frames they share with
     * finalised or provisional turns, then by voice model, else a new speaker (within the
     * count's upper bound).
     */
    private int[] linkSpeakers(int[] local, int localSpeakers, long first) {
        int globals = speakerModels.size();
        int[] result = new int[localSpeakers];
        Arrays.fill(result, -1);
        if (localSpeakers == 0) {
            return result;
        }
        double[][] shared = new double[localSpeakers][Math.max(1, globals)];
        for (int i = 0; i < local.length; i++) {
            if (local[i] < 0) {
                continue;
            }
            int g = knownLabel(first + i);
            if (g >= 0 && g < globals) {
                shared[local[i]][g]++;
            }
        }
        if (globals > 0) {
            int[] assigned = Hungarian.maximise(shared);
            for (int l = 0; l < localSpeakers; l++) {
                if (assigned[l] >= 0 && shared[l][assigned[l]] >= 20) {
                    result[l] = assigned[l];
                }
            }
        }
        float[][] cepstra = frames.cepstraView();
        for (int l = 0; l < localSpeakers; l++) {
            if (result[l] >= 0) {
                continue;
            }
            GaussianStats voice = new GaussianStats(cepstra.length == 0 ? MfccExtractor.DIMENSION : cepstra[0].length);
            for (int i = 0; i < local.length; i++) {
                if (local[i] == l) {
                    voice.add(cepstra[i]);
                }
            }
            int best = -1;
            double bestScore = Double.POSITIVE_INFINITY;
            for (int g = 0; g < speakerModels.size(); g++) {
                if (contains(result, g) || speakerModels.get(g).count == 0 || voice.count == 0) {
                    continue;
                }
                double score = GaussianStats.deltaBic(voice, speakerModels.get(g), engine.settings().bicPenalty());
                if (score < bestScore) {
                    bestScore = score;
                    best = g;
                }
            }
            boolean full = speakerModels.size() >= count.upper();
            if (best >= 0 && (bestScore < 0 || full)) {
                result[l] = best;
            } else if (!full) {
                speakerModels.add(new GaussianStats(voice.dimension));
                result[l] = speakerModels.size() - 1;
            } else {
                result[l] = 0;
            }
        }
        return result;
    }

    /** Global label of a frame: finalised label, or the label of a provisional turn covering it. */
    private int knownLabel(long frame) {
        int label = frame < committedFrame ? frames.label(frame) : -1;
        if (label >= 0) {
            return label;
        }
        double t = BuiltinDiarizer.frameTime(frame);
        for (Pending p : pending) {
            if (t >= p.turn.start() && t < p.turn.end()) {
                return p.turn.speaker();
            }
        }
        return -1;
    }

    /** Adds a finalised turn's speech frames to its speaker's voice model. */
    private void learn(Turn t, int[] labels, long first) {
        long from = Math.max(first, frameOf(t.start()));
        long to = Math.min(first + labels.length, frameOf(t.end()));
        GaussianStats model = speakerModels.get(t.speaker());
        float[][] cepstra = frames.cepstraView();
        for (long f = from; f < to; f++) {
            if (labels[(int) (f - first)] == t.speaker()) {
                model.add(cepstra[(int) (f - first)]);
            }
        }
    }

    private Pending match(Turn t, boolean[] matched) {
        int best = -1;
        double bestOverlap = 0;
        for (int i = 0; i < pending.size(); i++) {
            Turn p = pending.get(i).turn;
            if (matched[i] || p.speaker() != t.speaker()) {
                continue;
            }
            double overlap = Math.min(p.end(), t.end()) - Math.max(p.start(), t.start());
            if (overlap > bestOverlap) {
                bestOverlap = overlap;
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        matched[best] = true;
        return pending.get(best);
    }

    private static boolean changed(Turn a, Turn b) {
        return Math.abs(a.start() - b.start()) > 1e-6 || Math.abs(a.end() - b.end()) > 1e-6 || a.speaker() != b.speaker();
    }

    private TurnUpdate update(Pending p, boolean isFinal) {
        return new TurnUpdate(p.id, p.revision, isFinal, false, publicLabel(p.turn.speaker()), p.turn.start(), p.turn.end(), p.turn.confidence());
    }

    private TurnUpdate withdrawal(Pending p) {
        return new TurnUpdate(p.id, p.revision + 1, true, true, publicLabel(p.turn.speaker()), p.turn.start(), p.turn.end(), p.turn.confidence());
    }

    private int publicLabel(int speaker) {
        return publicLabels.computeIfAbsent(speaker, k -> publicLabels.size());
    }

    private String newId() {
        return "t" + nextTurnId++;
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static long frameOf(double seconds) {
        return Math.max(0, Math.round((seconds - (seconds == 0 ? 0 : 0.0075)) * Features.FRAME_RATE));
    }

    /** Features of the frames kept for re-diarization, with the global label of finalised ones. */
    private static final class FrameBuffer {
        private float[][] cepstra = new float[1024][];
        private float[] energy = new float[1024];
        private int[] label = new int[1024];
        private int size;
        private long start;

        void add(float[] c, float e) {
            if (size == cepstra.length) {
                cepstra = Arrays.copyOf(cepstra, size * 2);
                energy = Arrays.copyOf(energy, size * 2);
                label = Arrays.copyOf(label, size * 2);
            }
            cepstra[size] = c;
            energy[size] = e;
            label[size] = -1;
            size++;
        }

        long start() {
            return start;
        }

        long end() {
            return start + size;
        }

        int label(long frame) {
            return frame >= start && frame < start + size ? label[(int) (frame - start)] : -1;
        }

        void setLabel(long frame, int value) {
            if (frame >= start && frame < start + size) {
                label[(int) (frame - start)] = value;
            }
        }

        Features features() {
            return new Features(Arrays.copyOf(cepstra, size), Arrays.copyOf(energy, size));
        }

        float[][] cepstraView() {
            return Arrays.copyOf(cepstra, size);
        }

        void dropBefore(long frame) {
            int drop = (int) Math.max(0, Math.min(size, frame - start));
            if (drop == 0) {
                return;
            }
            System.arraycopy(cepstra, drop, cepstra, 0, size - drop);
            System.arraycopy(energy, drop, energy, 0, size - drop);
            System.arraycopy(label, drop, label, 0, size - drop);
            Arrays.fill(cepstra, size - drop, size, null);
            size -= drop;
            start += drop;
        }
    }
}
