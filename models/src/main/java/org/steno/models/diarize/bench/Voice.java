package org.steno.models.diarize.bench;

import java.util.List;

/**
 * A synthetic speaker: an espeak-ng voice with its own pitch and speed, distinct enough from
 * the others to count as another person.
 *
 * @param name  speaker label used in references ("alice", …)
 * @param voice espeak-ng voice, e.g. "en-gb+f3"
 * @param pitch espeak-ng -p (0–99)
 * @param speed espeak-ng -s (words per minute)
 */
public record Voice(String name, String voice, int pitch, int speed) {

    /** The four voices of the benchmark and tests, as issue #4 names them. */
    public static final List<Voice> STANDARD = List.of(
            new Voice("alice", "en-gb+f3", 95, 150),
            new Voice("bruno", "en-us+m7", 30, 175),
            new Voice("chloe", "fr+f2", 60, 140),
            new Voice("david", "en-us", 45, 165));
}
