package org.steno.recorder;

/** Whether the recorder can record now, with a sentence for {@code /readyz}. */
public record RecorderHealth(boolean ready, String detail) {
}
