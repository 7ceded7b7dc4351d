package org.steno.subtitles.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.steno.proto.captions.v1.CaptionEvent;
import org.steno.proto.captions.v1.CaptionIngestGrpc;
import org.steno.proto.captions.v1.CaptionKind;
import org.steno.proto.captions.v1.PublishSummary;
import org.steno.subtitles.fanout.CaptionFanout;

class CaptionIngestServiceTest {

    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new CaptionIngestService(new CaptionFanout())).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    static CaptionEvent ev(String seg, int rev) {
        return CaptionEvent.newBuilder().setMeetingId("m").setSegmentId(seg).setRevision(rev)
                .setKind(CaptionKind.CAPTION_KIND_INTERIM).setText("x").build();
    }

    @Test
    void publishCountsAcceptedDuplicatesAndStale() throws Exception {
        CompletableFuture<PublishSummary> done = new CompletableFuture<>();
        StreamObserver<CaptionEvent> req = CaptionIngestGrpc.newStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .publish(observer(done));
        req.onNext(ev("a", 0));
        req.onNext(ev("a", 1));
        req.onNext(ev("a", 1));
        req.onNext(ev("a", 0));
        req.onNext(ev("b", 0));
        req.onCompleted();
        PublishSummary s = done.get(5, TimeUnit.SECONDS);
        assertThat(s.getAccepted()).isEqualTo(3);
        assertThat(s.getDuplicates()).isEqualTo(1);
        assertThat(s.getStale()).isEqualTo(1);
    }

    @Test
    void malformedEventIsInvalidArgumentNamingTheField() {
        CaptionEvent noKind = CaptionEvent.newBuilder().setMeetingId("m").setSegmentId("seg-9").build();
        assertThatThrownBy(() -> CaptionIngestGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS).publishOne(noKind))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("kind").contains("seg-9");
                });
        CaptionEvent noMeeting = CaptionEvent.newBuilder().setSegmentId("s").setKind(CaptionKind.CAPTION_KIND_FINAL).build();
        assertThatThrownBy(() -> CaptionIngestGrpc.newBlockingStub(channel).publishOne(noMeeting))
                .hasMessageContaining("meeting_id is required");
    }

    private static StreamObserver<PublishSummary> observer(CompletableFuture<PublishSummary> done) {
        return new StreamObserver<>() {
            @Override
            public void onNext(PublishSummary v) {
                done.complete(v);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}
