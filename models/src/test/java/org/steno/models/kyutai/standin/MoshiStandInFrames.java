package org.steno.models.kyutai.standin;

/** Frames a misbehaving or failing moshi-server sends, for the adapter's failure tests. */
public final class MoshiStandInFrames {

    private MoshiStandInFrames() {
    }

    /** {@code {"type":"Error","message":...}} as batched_asr.rs writes it. */
    public static byte[] error(String message) {
        return MoshiStandIn.map("type", "Error", "message", message);
    }
}
