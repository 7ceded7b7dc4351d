package org.steno.recorder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.steno.recorder.webm.WebmReader;

/** Real VP8 frames (libvpx through JavaCV) and their RFC 7741 RTP payloads. */
final class Vp8Source {

    private Vp8Source() {
    }

    /** Encodes {@code count} moving-gradient frames at {@code fps}, a keyframe every {@code gop}. */
    static List<WebmReader.Frame> frames(Path tmp, int count, int fps, int gop) throws Exception {
        Path file = tmp.resolve("source-" + System.nanoTime() + ".webm");
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), 160, 120, 0)) {
            rec.setFormat("webm");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_VP8);
            rec.setFrameRate(fps);
            rec.setGopSize(gop);
            rec.setVideoBitrate(200_000);
            rec.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P);
            rec.start();
            for (int i = 0; i < count; i++) {
                Frame f = new Frame(160, 120, Frame.DEPTH_UBYTE, 3);
                java.nio.ByteBuffer b = (java.nio.ByteBuffer) f.image[0];
                for (int y = 0; y < 120; y++) {
                    for (int x = 0; x < 160; x++) {
                        int o = y * f.imageStride + x * 3;
                        b.put(o, (byte) (x + i * 3));
                        b.put(o + 1, (byte) (y * 2));
                        b.put(o + 2, (byte) (i * 5));
                    }
                }
                rec.record(f, org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24);
            }
            rec.stop();
        }
        List<WebmReader.Frame> frames = WebmReader.read(file).frames();
        Files.deleteIfExists(file);
        return frames;
    }

    /** Splits a frame into payloads of at most {@code mtu} bytes, each with a one-byte descriptor. */
    static List<byte[]> packetize(byte[] frame, int mtu) {
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < frame.length; off += mtu) {
            int n = Math.min(mtu, frame.length - off);
            byte[] p = new byte[n + 1];
            p[0] = (byte) (off == 0 ? 0x10 : 0x00);
            System.arraycopy(frame, off, p, 1, n);
            out.add(p);
        }
        return out;
    }
}
