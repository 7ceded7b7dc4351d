package org.steno.simulator.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;

/**
 * The pre-encoded media every simulated participant sends, read once from the module's resources and shared:
 * a talker's Opus (20 ms packets), the Opus a muted microphone produces (digital silence) and a low-rate VP8
 * camera (160×120, 5 fps, a keyframe every 10 s). The files were made once with FFmpeg (see the README), so
 * sending costs no encoding.
 */
public final class MediaFiles {

    /** Opus packets are 20 ms: 960 samples at 48 kHz. */
    public static final int OPUS_SAMPLES_PER_PACKET = 960;
    /** The camera's frame interval (5 fps) in 90 kHz RTP units. */
    public static final int VIDEO_TICKS_PER_FRAME = 90_000 / 5;
    public static final int VIDEO_FRAME_MILLIS = 200;

    private static volatile MediaFiles shared;

    private final List<byte[]> talk;
    private final List<byte[]> silence;
    private final List<Vp8Frame> camera;

    /** One VP8 frame of the camera file and whether a decoder can start on it. */
    public record Vp8Frame(byte[] data, boolean keyframe) {
    }

    private MediaFiles(List<byte[]> talk, List<byte[]> silence, List<Vp8Frame> camera) {
        this.talk = talk;
        this.silence = silence;
        this.camera = camera;
    }

    public static MediaFiles get() {
        MediaFiles m = shared;
        if (m == null) {
            synchronized (MediaFiles.class) {
                if (shared == null) {
                    shared = new MediaFiles(OggOpusReader.packets(read("talk.opus")),
                            OggOpusReader.packets(read("silence.opus")), IvfReader.frames(read("camera.ivf")));
                }
                m = shared;
            }
        }
        return m;
    }

    private static byte[] read(String name) {
        try (InputStream in = MediaFiles.class.getResourceAsStream("/org/steno/simulator/media/" + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the simulator jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<byte[]> talk() {
        return Collections.unmodifiableList(talk);
    }

    public List<byte[]> silence() {
        return Collections.unmodifiableList(silence);
    }

    public List<Vp8Frame> camera() {
        return Collections.unmodifiableList(camera);
    }
}
