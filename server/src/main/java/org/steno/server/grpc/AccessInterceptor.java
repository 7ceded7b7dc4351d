package org.steno.server.grpc;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.access.Access;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;
import org.steno.access.ServiceToken;

/**
 * Asks {@link Access} before any gRPC method runs. The caller is the deployment's service
 * when the call carries the service token, else anonymous; a wrong token is refused outright.
 * A refusal is {@code UNAUTHENTICATED} for an anonymous caller (credentials would help) and
 * {@code PERMISSION_DENIED} otherwise. The method is judged when the call starts; the meeting a
 * request names ({@link MeetingInRequest}) when its message arrives.
 */
public final class AccessInterceptor implements ServerInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(AccessInterceptor.class);

    /** The subject and role of a caller holding the service token. */
    public static final String SERVICE = "service";

    private final Access access;
    private final ServiceToken token;

    /** @param token the deployment's service token; null accepts none (every caller is anonymous) */
    public AccessInterceptor(Access access, ServiceToken token) {
        this.access = access;
        this.token = token;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String address = remote == null ? "" : remote.toString();
        String presented = headers.get(ServiceToken.HEADER);
        Caller caller;
        if (presented == null) {
            caller = Caller.anonymous(address, Caller.Channel.GRPC);
        } else if (token != null && token.matches(presented)) {
            caller = new Caller(SERVICE, Set.of(SERVICE), address, Caller.Channel.GRPC);
        } else {
            LOG.info("refused gRPC {} from {}: wrong service token", method, address);
            return refuse(call, Status.UNAUTHENTICATED.withDescription("the service token presented is not this deployment's"
                    + " (service.token, or <data.dir>/service-token on the host that generated it)"));
        }
        Action action = actionFor(call.getMethodDescriptor().getServiceName());
        Decision d = access.check(caller, action, new Resource("grpc", method));
        if (!d.allowed()) {
            LOG.info("denied gRPC {} to {}: {}", method, caller.subject(), d.reason());
            Status status = caller.isAnonymous() ? Status.UNAUTHENTICATED : Status.PERMISSION_DENIED;
            return refuse(call, status.withDescription(d.reason()));
        }
        return new MeetingCheck<>(next.startCall(call, headers), call, caller, action);
    }

    /**
     * The second check, once the request says which meeting it is about: every request message
     * naming a meeting (a stream may name several over its life) is judged on that meeting
     * before the service sees it, and a refusal ends the call with PERMISSION_DENIED.
     */
    private final class MeetingCheck<Q, R> extends io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {

        private final ServerCall<Q, R> call;
        private final Caller caller;
        private final Action action;
        private String allowedMeeting;
        private boolean closed;

        MeetingCheck(ServerCall.Listener<Q> delegate, ServerCall<Q, R> call, Caller caller, Action action) {
            super(delegate);
            this.call = call;
            this.caller = caller;
            this.action = action;
        }

        @Override
        public void onMessage(Q message) {
            if (closed) {
                return;
            }
            java.util.Optional<String> meeting = MeetingInRequest.of(message);
            if (meeting.isPresent() && !meeting.get().equals(allowedMeeting)) {
                Decision d = access.check(caller, action, Resource.meeting(meeting.get()));
                if (!d.allowed()) {
                    LOG.info("denied gRPC {} on meeting {} to {}: {}", call.getMethodDescriptor().getFullMethodName(),
                            org.steno.server.http.LogSafe.of(meeting.get()), caller.subject(), d.reason());
                    closed = true;
                    call.close(Status.PERMISSION_DENIED.withDescription(d.reason()), new Metadata());
                    return;
                }
                allowedMeeting = meeting.get();
            }
            super.onMessage(message);
        }

        @Override
        public void onHalfClose() {
            if (!closed) {
                super.onHalfClose();
            }
        }

        @Override
        public void onReady() {
            if (!closed) {
                super.onReady();
            }
        }
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    /** Coarse action per service; the policy refines by resource (the full method name). */
    static Action actionFor(String service) {
        if (service == null) {
            return Action.ADMINISTER;
        }
        if (service.startsWith("grpc.health.")) {
            return Action.OBSERVE;
        }
        if (service.startsWith("grpc.reflection.")) {
            return Action.INSPECT_SERVICES;
        }
        return switch (service) {
            case "steno.media.v1.MediaTap" -> Action.SUBSCRIBE_MEDIA;
            case "steno.media.v1.MediaIngest", "steno.captions.v1.CaptionIngest" -> Action.INGEST;
            case "steno.speech.v1.Transcriber", "steno.speech.v1.Diarizer" -> Action.USE_MODELS;
            default -> Action.ADMINISTER;
        };
    }
}
