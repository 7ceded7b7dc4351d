package org.steno.server.grpc;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.access.Access;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;

/** Asks {@link Access} before any gRPC method runs; a refusal is {@code PERMISSION_DENIED}. */
public final class AccessInterceptor implements ServerInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(AccessInterceptor.class);

    private final Access access;

    public AccessInterceptor(Access access) {
        this.access = access;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        Caller caller = Caller.anonymous(remote == null ? "" : remote.toString(), Caller.Channel.GRPC);
        Decision d = access.check(caller, actionFor(call.getMethodDescriptor().getServiceName()), new Resource("grpc", method));
        if (!d.allowed()) {
            LOG.info("denied gRPC {} to {}: {}", method, caller.subject(), d.reason());
            call.close(Status.PERMISSION_DENIED.withDescription(d.reason()), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }

    /** Coarse action per service; the policy refines by resource (the full method name). */
    static Action actionFor(String service) {
        if (service == null) {
            return Action.ADMINISTER;
        }
        if (service.startsWith("grpc.health.") || service.startsWith("grpc.reflection.")) {
            return Action.OBSERVE;
        }
        return switch (service) {
            case "steno.media.v1.MediaTap" -> Action.SUBSCRIBE_MEDIA;
            case "steno.media.v1.MediaIngest", "steno.captions.v1.CaptionIngest" -> Action.INGEST;
            case "steno.speech.v1.Transcriber", "steno.speech.v1.Diarizer" -> Action.USE_MODELS;
            default -> Action.ADMINISTER;
        };
    }
}
