package org.steno.recorder.ogg;

/** Facts about Opus packets read from the TOC byte (RFC 6716 §3.1), without decoding. */
public final class OpusPackets {

    /** 120 ms at 48 kHz: the longest packet Opus allows. */
    public static final int MAX_SAMPLES = 5760;

    private OpusPackets() {
    }

    /**
     * Samples at 48 kHz the packet decodes to, or -1 when it cannot be an Opus packet (empty,
     * a missing frame-count byte, zero frames or more than 120 ms).
     */
    public static int samples(byte[] packet) {
        if (packet == null || packet.length == 0) {
            return -1;
        }
        int toc = packet[0] & 0xff;
        int config = toc >>> 3;
        int frameSamples;
        if (config < 12) {
            frameSamples = new int[] {480, 960, 1920, 2880}[config & 3];
        } else if (config < 16) {
            frameSamples = (config & 1) == 0 ? 480 : 960;
        } else {
            frameSamples = new int[] {120, 240, 480, 960}[config & 3];
        }
        int frames;
        switch (toc & 3) {
            case 0 -> frames = 1;
            case 1, 2 -> frames = 2;
            default -> {
                if (packet.length < 2) {
                    return -1;
                }
                frames = packet[1] & 0x3f;
            }
        }
        int total = frames * frameSamples;
        return frames == 0 || total > MAX_SAMPLES ? -1 : total;
    }
}
