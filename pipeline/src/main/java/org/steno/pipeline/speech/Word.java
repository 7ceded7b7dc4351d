package org.steno.pipeline.speech;

/** A recognised word on the meeting timeline (media milliseconds). */
public record Word(String text, long startMs, long endMs, float confidence) {
}
