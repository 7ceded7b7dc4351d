package org.steno.recorder.webm;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * A WebM file of VP8 frames copied as they are (FFmpeg's Matroska muxer, no codec): frames go in
 * with millisecond timestamps, the muxer writes clusters and cues.
 */
public final class WebmFile implements AutoCloseable {

    private static final AVRational MILLIS = av_make_q(1, 1000);

    private final AVFormatContext ctx;
    private final AVStream stream;
    private final AVPacket packet;
    private boolean closed;
    private long lastPts = Long.MIN_VALUE;
    private long frames;

    public WebmFile(Path file, int width, int height) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        ctx = new AVFormatContext(null);
        check(avformat_alloc_output_context2(ctx, null, "webm", file.toString()), "create the WebM muxer");
        stream = avformat_new_stream(ctx, null);
        stream.codecpar().codec_type(AVMEDIA_TYPE_VIDEO);
        stream.codecpar().codec_id(AV_CODEC_ID_VP8);
        stream.codecpar().width(width);
        stream.codecpar().height(height);
        stream.time_base(MILLIS);
        AVIOContext pb = new AVIOContext(null);
        check(avio_open(pb, file.toString(), AVIO_FLAG_WRITE), "open " + file);
        ctx.pb(pb);
        check(avformat_write_header(ctx, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "write the WebM header");
        packet = av_packet_alloc();
    }

    /** Appends a frame at {@code ptsMillis} (from the file's start); non-increasing times are nudged forward. */
    public void write(byte[] frame, long ptsMillis, boolean keyframe) throws IOException {
        long pts = Math.max(ptsMillis, lastPts + 1);
        check(av_new_packet(packet, frame.length), "allocate a packet");
        packet.data().put(frame, 0, frame.length);
        packet.pts(pts);
        packet.dts(pts);
        packet.duration(0);
        packet.stream_index(0);
        packet.flags(keyframe ? AV_PKT_FLAG_KEY : 0);
        av_packet_rescale_ts(packet, MILLIS, stream.time_base());
        // av_interleaved_write_frame takes the packet's data and leaves it blank for reuse.
        check(av_interleaved_write_frame(ctx, packet), "write a frame");
        lastPts = pts;
        frames++;
    }

    public long frames() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            check(av_write_trailer(ctx), "finish the WebM file");
        } finally {
            av_packet_free(packet);
            avio_closep(ctx.pb());
            avformat_free_context(ctx);
        }
    }

    static void check(int ret, String what) throws IOException {
        if (ret < 0) {
            byte[] buf = new byte[256];
            avutil.av_strerror(ret, buf, buf.length);
            String msg = new String(buf, java.nio.charset.StandardCharsets.US_ASCII).trim();
            int nul = msg.indexOf('\0');
            throw new IOException("cannot " + what + ": " + (nul >= 0 ? msg.substring(0, nul) : msg));
        }
    }
}
