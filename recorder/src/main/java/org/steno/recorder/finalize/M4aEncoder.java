package org.steno.recorder.finalize;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.steno.recorder.ogg.OpusPackets;

/**
 * The M4A/AAC copy of the mix, for players without Opus: the mixed Opus packets are decoded
 * (pure Java) and encoded to AAC with FFmpeg.
 */
final class M4aEncoder {

    private M4aEncoder() {
    }

    /** @param skip samples to drop from the start (the Opus pre-skip), so the copy lines up with the original */
    static void encode(List<byte[]> opusPackets, int skip, Path m4a) throws IOException {
        OpusDecoder decoder;
        try {
            decoder = new OpusDecoder(48000, 1);
        } catch (OpusException e) {
            throw new IOException("cannot create an Opus decoder", e);
        }
        short[] pcm = new short[OpusPackets.MAX_SAMPLES];
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(m4a.toFile(), 1)) {
            rec.setFormat("ipod"); // the .m4a flavour of MP4
            rec.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            rec.setSampleRate(48000);
            rec.setAudioChannels(1);
            rec.setAudioBitrate(64_000);
            rec.start();
            for (byte[] p : opusPackets) {
                int samples = OpusPackets.samples(p);
                int n;
                try {
                    n = decoder.decode(p, 0, p.length, pcm, 0, pcm.length, false);
                } catch (OpusException | RuntimeException e) {
                    n = Math.max(samples, 0);
                    java.util.Arrays.fill(pcm, 0, n, (short) 0);
                }
                int from = Math.min(n, skip);
                skip -= from;
                if (n - from > 0) {
                    rec.recordSamples(48000, 1, ShortBuffer.wrap(pcm, from, n - from).slice());
                }
            }
            rec.stop();
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException("cannot write " + m4a.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
