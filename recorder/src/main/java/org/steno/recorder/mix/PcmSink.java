package org.steno.recorder.mix;

/** Receives a track's decoded audio (48 kHz mono) at its position on the recording's time line. */
public interface PcmSink {

    void pcm(String trackId, long position, short[] samples, int count);

    PcmSink NONE = (trackId, position, samples, count) -> { };
}
