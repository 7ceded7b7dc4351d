package org.steno.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Access;
import org.steno.access.Decision;
import org.steno.proto.media.v1.IngestConfig;
import org.steno.proto.media.v1.IngestRequest;
import org.steno.proto.media.v1.MediaEvent;
import org.steno.proto.media.v1.MediaTapGrpc;
import org.steno.proto.media.v1.SubscribeRequest;
import org.steno.server.TestConfigs;
import org.steno.server.access.StenoPolicy;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/**
 * gRPC checks see the meeting a call is about: it is inside the request message, so the
 * interceptor judges it when the message arrives, before the service runs.
 */
class MeetingScopedGrpcTest {

    @TempDir
    Path dataDir;

    @Test
    void theMeetingInsideARequestIsJudgedBeforeTheServiceSeesIt() throws Exception {
        StenoPolicy real = new StenoPolicy();
        // The real policy, but one meeting is closed to every service (as a per-meeting scope would be).
        Access oneMeetingClosed = (caller, action, resource) -> resource.type().equals("meeting") && resource.id().equals("zzz-zzzz-zzz")
                ? Decision.deny("this meeting is not yours to tap") : real.check(caller, action, resource);
        try (StenoProcess p = new StenoProcess(Role.SFU, TestConfigs.ephemeral(dataDir), oneMeetingClosed)) {
            p.start();
            String open = p.conference().registry().create("open").id();
            ManagedChannel channel = p.serviceToken().applyTo(NettyChannelBuilder.forAddress("127.0.0.1", p.grpcPort()).usePlaintext())
                    .build();
            try {
                MediaTapGrpc.MediaTapBlockingStub tap = MediaTapGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
                Iterator<MediaEvent> refused = tap.subscribe(SubscribeRequest.newBuilder().setMeetingId("zzz-zzzz-zzz").build());
                assertThatThrownBy(refused::hasNext).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).contains("not yours to tap");
                });
                Iterator<MediaEvent> allowed = MediaTapGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .subscribe(SubscribeRequest.newBuilder().setMeetingId(open).build());
                assertThat(allowed.hasNext()).as("the open meeting's tap answers").isTrue();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theMeetingIsFoundAtTheTopOrInsideTheOpeningMessage() {
        assertThat(MeetingInRequest.of(SubscribeRequest.newBuilder().setMeetingId("abc-defg-hij").build())).hasValue("abc-defg-hij");
        assertThat(MeetingInRequest.of(IngestRequest.newBuilder().setConfig(IngestConfig.newBuilder().setMeetingId("abc-defg-hij")).build()))
                .hasValue("abc-defg-hij");
        assertThat(MeetingInRequest.of(IngestRequest.getDefaultInstance())).isEmpty();
        assertThat(MeetingInRequest.of("not a message")).isEmpty();
    }
}
