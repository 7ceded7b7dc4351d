package org.steno.recorder.webm;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;

/** Reads the frames of a WebM segment back (for remuxing segments into one file). */
public final class WebmReader {

    /** One compressed frame with its time in milliseconds from the file's start. */
    public record Frame(byte[] data, long ptsMillis, boolean keyframe) {
    }

    /** The video size and every frame of the first stream. */
    public record Contents(int width, int height, List<Frame> frames) {
    }

    private WebmReader() {
    }

    public static Contents read(Path file) throws IOException {
        AVFormatContext ctx = new AVFormatContext(null);
        WebmFile.check(avformat_open_input(ctx, file.toString(), null, null), "open " + file.getFileName());
        AVPacket pkt = av_packet_alloc();
        try {
            if (ctx.nb_streams() < 1) {
                throw new IOException(file.getFileName() + " has no stream");
            }
            AVStream st = ctx.streams(0);
            List<Frame> frames = new ArrayList<>();
            while (av_read_frame(ctx, pkt) >= 0) {
                if (pkt.stream_index() == 0) {
                    av_packet_rescale_ts(pkt, st.time_base(), av_make_q(1, 1000));
                    byte[] data = new byte[pkt.size()];
                    pkt.data().get(data);
                    frames.add(new Frame(data, pkt.pts(), (pkt.flags() & AV_PKT_FLAG_KEY) != 0));
                }
                av_packet_unref(pkt);
            }
            return new Contents(st.codecpar().width(), st.codecpar().height(), frames);
        } finally {
            av_packet_free(pkt);
            avformat_close_input(ctx);
        }
    }
}
