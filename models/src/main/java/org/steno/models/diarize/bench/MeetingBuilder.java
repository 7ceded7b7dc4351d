package org.steno.models.diarize.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.steno.models.diarize.Pcm;
import org.steno.models.diarize.Rttm;

/**
 * Builds multi-speaker recordings with known turns: speech clips (espeak-ng voices or real
 * recordings) trimmed of their leading and trailing silence, levelled to the same loudness
 * and laid end to end with pauses, some turns shorter than a second and some overlapping the
 * previous speaker. The reference turns are exactly where each clip was placed.
 */
public final class MeetingBuilder {

    public static final int SAMPLE_RATE = 16_000;

    /** A clip of one speaker, 16 kHz, trimmed. */
    public record Clip(String speaker, float[] samples) {
        public double seconds() {
            return (double) samples.length / SAMPLE_RATE;
        }
    }

    /** A built recording and its reference. */
    public record Meeting(String name, float[] samples, List<Rttm.Segment> reference, int speakers) {
        public double seconds() {
            return (double) samples.length / SAMPLE_RATE;
        }

        /** Writes {@code <name>.wav} and {@code <name>.rttm} into {@code dir}. */
        public void write(Path dir) throws IOException {
            Pcm.writeWav(dir.resolve(name + ".wav"), samples, SAMPLE_RATE);
            Files.writeString(dir.resolve(name + ".rttm"), Rttm.format(name, reference));
        }
    }

    /** Sentences without inner punctuation, so a clip holds no long pause. */
    static final List<String> LONG_LINES = List.of(
            "I think we should move the budget review to next week",
            "The new procedure has been approved by the regional office",
            "Can you send me the minutes of the last meeting before Friday",
            "We still need three more signatures on the purchase order",
            "The contractor says the building work will finish in April",
            "Please remember that the archive room is closed on Mondays",
            "Our team processed more than four hundred requests this month",
            "I would like to hear what the legal department thinks about it",
            "The figures for the second quarter look better than expected",
            "Let us schedule a short call with the mayor tomorrow morning",
            "Most of the complaints were about the waiting time at the desk",
            "We can publish the report once the translation is ready",
            "The training sessions for new agents start on the first of June",
            "I have checked the numbers twice and they match the invoices");
    static final List<String> SHORT_LINES = List.of("Yes exactly", "Okay", "No", "Right", "Sure thing", "I agree", "Thank you", "Good point");

    private final Path workDir;
    private final Map<String, Clip> cache = new HashMap<>();

    /** @param workDir where espeak-ng writes its temporary WAV files */
    public MeetingBuilder(Path workDir) {
        this.workDir = workDir;
    }

    /** Synthesises one line with espeak-ng, resampled to 16 kHz and trimmed. */
    public Clip speak(Voice voice, String text) throws IOException {
        String key = voice + "|" + text;
        Clip cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Path wav = Files.createTempFile(workDir, "espeak-", ".wav");
        try {
            Process p = new ProcessBuilder("espeak-ng", "-v", voice.voice(), "-p", Integer.toString(voice.pitch()),
                    "-s", Integer.toString(voice.speed()), "-w", wav.toString(), text)
                    .redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("espeak-ng failed for voice " + voice.voice() + ": " + new String(output).trim()
                        + " (install it with: apt-get install espeak-ng)");
            }
            Pcm.Audio audio = Pcm.readWav(wav);
            Clip clip = new Clip(voice.name(), level(trim(Pcm.resample(audio.samples(), audio.sampleRate(), SAMPLE_RATE))));
            cache.put(key, clip);
            return clip;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running espeak-ng", e);
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    /** A real recording as a clip (any rate, resampled), trimmed and levelled. */
    public static Clip real(String speaker, Pcm.Audio audio) {
        return new Clip(speaker, level(trim(Pcm.resample(audio.samples(), audio.sampleRate(), SAMPLE_RATE))));
    }

    /**
     * A conversation of {@code turns} turns among the voices: the next speaker is never the
     * current one; about a quarter of the turns are short interjections (&lt; 1 s), and about
     * {@code overlapShare} of the changes start 0.2–0.6 s before the previous turn ends.
     */
    public Meeting conversation(String name, List<Voice> voices, int turns, double overlapShare, long seed) throws IOException {
        Random random = new Random(seed);
        List<Clip> clips = new ArrayList<>();
        // Each voice says each line at most once (until it has said them all): repeated
        // identical audio would make clusters of sentences instead of voices.
        List<List<String>> longLines = new ArrayList<>();
        List<List<String>> shortLines = new ArrayList<>();
        for (int v = 0; v < voices.size(); v++) {
            longLines.add(new ArrayList<>());
            shortLines.add(new ArrayList<>());
        }
        int current = -1;
        for (int i = 0; i < turns; i++) {
            int next;
            do {
                next = random.nextInt(voices.size());
            } while (next == current && voices.size() > 1);
            // Every voice speaks early on, so each has a long turn to be recognised by.
            if (i < voices.size()) {
                next = i;
            }
            current = next;
            boolean shortTurn = i >= voices.size() && random.nextDouble() < 0.25;
            List<String> unsaid = (shortTurn ? shortLines : longLines).get(current);
            if (unsaid.isEmpty()) {
                unsaid.addAll(shortTurn ? SHORT_LINES : LONG_LINES);
                java.util.Collections.shuffle(unsaid, random);
            }
            clips.add(speak(voices.get(current), unsaid.remove(unsaid.size() - 1)));
        }
        return arrange(name, clips, overlapShare, random);
    }

    /**
     * Lays clips end to end: pauses of 0.2–0.9 s, or with probability {@code overlapShare}
     * (when the speaker changes and both clips are long enough) an overlap of 0.2–0.6 s.
     */
    public static Meeting arrange(String name, List<Clip> clips, double overlapShare, Random random) {
        List<Rttm.Segment> reference = new ArrayList<>();
        int[] starts = new int[clips.size()];
        int cursor = (int) (0.5 * SAMPLE_RATE);
        int previousEnd = 0;
        String previousSpeaker = null;
        for (int i = 0; i < clips.size(); i++) {
            Clip clip = clips.get(i);
            int start;
            boolean canOverlap = previousSpeaker != null && !previousSpeaker.equals(clip.speaker())
                    && clip.seconds() > 1.5 && clips.get(i - 1).seconds() > 1.5;
            if (canOverlap && random.nextDouble() < overlapShare) {
                start = previousEnd - (int) ((0.2 + 0.4 * random.nextDouble()) * SAMPLE_RATE);
            } else {
                start = (i == 0 ? cursor : previousEnd) + (int) ((0.2 + 0.7 * random.nextDouble()) * SAMPLE_RATE);
            }
            starts[i] = start;
            previousEnd = start + clip.samples().length;
            previousSpeaker = clip.speaker();
        }
        float[] mix = new float[previousEnd + SAMPLE_RATE / 2];
        for (int i = 0; i < clips.size(); i++) {
            float[] s = clips.get(i).samples();
            for (int j = 0; j < s.length; j++) {
                mix[starts[i] + j] += s[j];
            }
            reference.add(new Rttm.Segment(clips.get(i).speaker(), (double) starts[i] / SAMPLE_RATE,
                    (double) (starts[i] + s.length) / SAMPLE_RATE));
        }
        for (int i = 0; i < mix.length; i++) {
            mix[i] = Math.max(-1, Math.min(1, mix[i]));
        }
        reference.sort(java.util.Comparator.comparingDouble(Rttm.Segment::start));
        int speakers = (int) clips.stream().map(Clip::speaker).distinct().count();
        return new Meeting(name, mix, reference, speakers);
    }

    /** Cuts leading and trailing stretches whose 10 ms RMS stays below 3 % of the loudest block's. */
    static float[] trim(float[] s) {
        int block = SAMPLE_RATE / 100;
        int blocks = s.length / block;
        if (blocks == 0) {
            return s;
        }
        double[] rms = new double[blocks];
        double max = 0;
        for (int b = 0; b < blocks; b++) {
            double sum = 0;
            for (int i = b * block; i < (b + 1) * block; i++) {
                sum += s[i] * s[i];
            }
            rms[b] = Math.sqrt(sum / block);
            max = Math.max(max, rms[b]);
        }
        int first = 0;
        while (first < blocks && rms[first] < 0.03 * max) {
            first++;
        }
        int last = blocks - 1;
        while (last > first && rms[last] < 0.03 * max) {
            last--;
        }
        return java.util.Arrays.copyOfRange(s, first * block, (last + 1) * block);
    }

    /** Scales a clip to an RMS of -20 dBFS over its loud blocks, so no voice dominates by level. */
    static float[] level(float[] s) {
        double sum = 0;
        for (float x : s) {
            sum += x * x;
        }
        double rms = Math.sqrt(sum / Math.max(1, s.length));
        if (rms == 0) {
            return s;
        }
        float gain = (float) (0.1 / rms);
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i] * gain;
        }
        return out;
    }
}
