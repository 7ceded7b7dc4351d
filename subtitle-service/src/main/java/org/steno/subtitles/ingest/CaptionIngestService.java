package org.steno.subtitles.ingest;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.proto.captions.v1.CaptionControl;
import org.steno.proto.captions.v1.CaptionControlAck;
import org.steno.proto.captions.v1.CaptionEvent;
import org.steno.proto.captions.v1.CaptionIngestGrpc;
import org.steno.proto.captions.v1.CaptionKind;
import org.steno.proto.captions.v1.PublishSummary;
import org.steno.subtitles.fanout.CaptionFanout;
import org.steno.subtitles.fanout.Outcome;

/**
 * {@code CaptionIngest} (caption_ingest.proto): validates caption events from the pipeline and
 * hands them to the {@link CaptionFanout}. Idempotent: duplicates and stale revisions are
 * counted in the summary, not errors. A malformed event ends a Publish stream with
 * INVALID_ARGUMENT naming the field and the segment; events before it are kept.
 */
public final class CaptionIngestService extends CaptionIngestGrpc.CaptionIngestImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(CaptionIngestService.class);

    private final CaptionFanout fanout;
    private final AtomicLong accepted = new AtomicLong();

    public CaptionIngestService(CaptionFanout fanout) {
        this.fanout = fanout;
    }

    /** Events accepted since start (for readiness and metrics). */
    public long accepted() {
        return accepted.get();
    }

    /** Why an event is malformed, or null when it is fine. */
    static String invalid(CaptionEvent e) {
        String seg = e.getSegmentId().isEmpty() ? "" : " (segment '" + e.getSegmentId() + "')";
        if (e.getMeetingId().isEmpty()) {
            return "meeting_id is required" + seg;
        }
        if (e.getSegmentId().isEmpty()) {
            return "segment_id is required (meeting '" + e.getMeetingId() + "')";
        }
        if (e.getSegmentId().length() > 256) {
            return "segment_id exceeds 256 characters (meeting '" + e.getMeetingId() + "')";
        }
        if (e.getKind() == CaptionKind.CAPTION_KIND_UNSPECIFIED || e.getKind() == CaptionKind.UNRECOGNIZED) {
            return "kind must be INTERIM, FINAL or RETRACTED" + seg;
        }
        return null;
    }

    @Override
    public StreamObserver<CaptionEvent> publish(StreamObserver<PublishSummary> response) {
        return new StreamObserver<>() {
            private final PublishSummary.Builder summary = PublishSummary.newBuilder();
            private boolean failed;

            @Override
            public void onNext(CaptionEvent e) {
                if (failed) {
                    return;
                }
                String why = invalid(e);
                if (why != null) {
                    failed = true;
                    response.onError(Status.INVALID_ARGUMENT.withDescription(why).asRuntimeException());
                    return;
                }
                count(summary, fanout.publish(e));
            }

            @Override
            public void onError(Throwable t) {
                LOG.debug("caption publisher went away: {}", t.toString());
            }

            @Override
            public void onCompleted() {
                if (!failed) {
                    response.onNext(summary.build());
                    response.onCompleted();
                }
            }
        };
    }

    @Override
    public void publishOne(CaptionEvent e, StreamObserver<PublishSummary> response) {
        String why = invalid(e);
        if (why != null) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(why).asRuntimeException());
            return;
        }
        PublishSummary.Builder s = PublishSummary.newBuilder();
        count(s, fanout.publish(e));
        response.onNext(s.build());
        response.onCompleted();
    }

    @Override
    public void control(CaptionControl c, StreamObserver<CaptionControlAck> response) {
        if (c.getMeetingId().isEmpty()) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("meeting_id is required").asRuntimeException());
            return;
        }
        int told = fanout.control(c);
        response.onNext(CaptionControlAck.newBuilder().setViewersNotified(told).build());
        response.onCompleted();
    }

    private void count(PublishSummary.Builder s, Outcome o) {
        switch (o) {
            case ACCEPTED -> {
                s.setAccepted(s.getAccepted() + 1);
                accepted.incrementAndGet();
            }
            case DUPLICATE -> s.setDuplicates(s.getDuplicates() + 1);
            case STALE, AFTER_OFF -> s.setStale(s.getStale() + 1);
        }
    }
}
