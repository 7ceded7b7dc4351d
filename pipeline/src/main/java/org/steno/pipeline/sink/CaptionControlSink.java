package org.steno.pipeline.sink;

import org.steno.access.ServiceToken;
import com.google.protobuf.util.Durations;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.pipeline.speech.TrackEvent;
import org.steno.proto.captions.v1.CaptionControl;
import org.steno.proto.captions.v1.CaptionControlAck;
import org.steno.proto.captions.v1.CaptionIngestGrpc;

/**
 * Tells {@code CaptionIngest.Control} when the job starts and stops captioning a meeting, so
 * the subtitle service tells the meeting's caption viewers and, at the end, lets go of the
 * meeting's last lines. Calls are asynchronous with a deadline: a subtitle service that is
 * down costs a warning, never a stalled source (a notice is live information, not kept).
 */
public final class CaptionControlSink implements Sink<TrackEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(CaptionControlSink.class);
    static final long DEADLINE_MS = 5000;

    private final String target;
    private final ServiceToken token;

    /** @param target gRPC target of CaptionIngest, {@code host:port} */
    public CaptionControlSink(String target, ServiceToken token) {
        this.target = target;
        this.token = token;
    }

    @Override
    public SinkWriter<TrackEvent> createWriter(WriterInitContext context) {
        return new Writer(target, token);
    }

    /** The control message for an on/off event. */
    static CaptionControl control(TrackEvent e) {
        boolean on = e.kind() == TrackEvent.Kind.CAPTIONS_ON;
        return CaptionControl.newBuilder().setMeetingId(e.meetingId()).setEnabled(on)
                .setLanguageCode(on && e.language() != null ? e.language() : "")
                .setMediaTime(Durations.fromMillis(Math.max(0, e.mediaMs()))).build();
    }

    private static final class Writer implements SinkWriter<TrackEvent> {
        private final ManagedChannel channel;

        Writer(String target, ServiceToken token) {
            channel = ServiceToken.applyIfAny(token, NettyChannelBuilder.forTarget(target).usePlaintext()).build();
        }

        @Override
        public void write(TrackEvent e, Context context) {
            if (!e.isCaptionControl()) {
                return;
            }
            CaptionControl c = control(e);
            CaptionIngestGrpc.newStub(channel).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                    .control(c, new StreamObserver<>() {
                        @Override
                        public void onNext(CaptionControlAck ack) {
                            LOG.info("meeting {}: captions {} told to {} viewer(s)", c.getMeetingId(),
                                    c.getEnabled() ? "on" : "off", ack.getViewersNotified());
                        }

                        @Override
                        public void onError(Throwable t) {
                            LOG.warn("meeting {}: could not tell CaptionIngest that captions are {}: {}", c.getMeetingId(),
                                    c.getEnabled() ? "on" : "off", t.toString());
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
        }

        @Override
        public void flush(boolean endOfInput) {
        }

        @Override
        public void close() throws Exception {
            channel.shutdown().awaitTermination(2, TimeUnit.SECONDS);
        }
    }
}
