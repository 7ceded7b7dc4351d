package org.steno.models.diarize;

/**
 * A change to a streamed speaker turn: created (revision 0), revised (revision + 1), finalised
 * ({@code isFinal}) or withdrawn ({@code withdrawn}, also final). Consumers keep the highest
 * revision of each id.
 */
public record TurnUpdate(String turnId, int revision, boolean isFinal, boolean withdrawn, int speaker,
                         double start, double end, double confidence) {
}
