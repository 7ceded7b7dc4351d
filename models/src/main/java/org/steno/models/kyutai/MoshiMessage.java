package org.steno.models.kyutai;

/**
 * What moshi-server's streaming recognizer sends (its {@code OutMsg}, {@code rust/moshi-server/src/asr.rs}).
 * Times are seconds from the first sample of the connection, silence we inserted included.
 */
public sealed interface MoshiMessage {

    /** The batch slot is ours and reset; the first message of a batched server. */
    record Ready() implements MoshiMessage {
    }

    /** A recognised word, sent once the model's delay has passed after it. */
    record Word(String text, double startTime) implements MoshiMessage {
    }

    /** The end of the word sent last. */
    record EndWord(double stopTime) implements MoshiMessage {
    }

    /** One model step (only models with extra heads): pause probabilities for 0.5, 1, 2 and 3 s. */
    record Step(long stepIdx, float[] prs, long bufferedPcm) implements MoshiMessage {
    }

    /** Everything sent before the marker with this id has cleared the model's delay. */
    record Marker(long id) implements MoshiMessage {
    }

    /** The server gives up on this connection (e.g. {@value MoshiCodec#NO_FREE_CHANNELS}) and closes it. */
    record Error(String message) implements MoshiMessage {
    }

    /** A well-formed message of a type this adapter does not know (a newer server); ignored. */
    record Unknown(String type) implements MoshiMessage {
    }
}
