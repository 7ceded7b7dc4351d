package org.steno.models.diarize;

/**
 * What is known about the number of speakers: exactly {@code exact}, or between {@code min} and
 * {@code max} (0 = not constrained).
 */
public record SpeakerCount(int min, int max, int exact) {

    public static final SpeakerCount UNKNOWN = new SpeakerCount(0, 0, 0);
    public static final int LIMIT = 64;

    public SpeakerCount {
        if (min < 0 || max < 0 || exact < 0 || min > LIMIT || max > LIMIT || exact > LIMIT) {
            throw new IllegalArgumentException("speaker counts must be 0–" + LIMIT + ", got min " + min + ", max " + max + ", exact " + exact);
        }
        if (exact > 0 && ((min != 0 && min != exact) || (max != 0 && max != exact))) {
            throw new IllegalArgumentException("exact_speakers " + exact + " conflicts with min " + min + " / max " + max + "; set min and max to 0 or to the exact count");
        }
        if (max > 0 && min > max) {
            throw new IllegalArgumentException("min_speakers " + min + " is greater than max_speakers " + max);
        }
    }

    public static SpeakerCount exactly(int n) {
        return new SpeakerCount(0, 0, n);
    }

    public static SpeakerCount between(int min, int max) {
        return new SpeakerCount(min, max, 0);
    }

    /** Lowest acceptable count (at least 1). */
    int lower() {
        return exact > 0 ? exact : Math.max(1, min);
    }

    /** Highest acceptable count. */
    int upper() {
        return exact > 0 ? exact : (max > 0 ? max : LIMIT);
    }
}
