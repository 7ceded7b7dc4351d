package org.steno.server.access;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.steno.access.Access;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;

/**
 * The platform's policy, deny by default: a request is allowed only when a rule below names
 * its channel and action for the caller's kind. Every refusal says what would be needed.
 *
 * <p>gRPC carries the internal contracts between Steno roles (MediaTap, MediaIngest,
 * CaptionIngest, Transcriber, Diarizer): only a caller holding the service token reaches them;
 * anyone may ask gRPC health. Over HTTP and WebSocket the actions the web app uses are open to
 * everyone who reaches the page until accounts and sign-in land (issue #10's next step):
 * archive search and administration, which need a signed-in auditor or admin, stay refused.
 */
public final class StenoPolicy implements Access {

    /** What an anonymous caller (a browser; no accounts yet) may do, per channel. */
    private static final Map<Caller.Channel, Set<Action>> ANONYMOUS = Map.of(
            Caller.Channel.HTTP, EnumSet.of(Action.VIEW, Action.OBSERVE, Action.CREATE_MEETING, Action.JOIN_MEETING,
                    Action.SUBSCRIBE_MEDIA, Action.CONTROL_RECORDING, Action.CONTROL_CAPTIONS, Action.DOWNLOAD),
            Caller.Channel.WEBSOCKET, EnumSet.of(Action.JOIN_MEETING, Action.SUBSCRIBE_MEDIA),
            Caller.Channel.GRPC, EnumSet.of(Action.OBSERVE));

    /** What the deployment's own roles may do with the service token. */
    private static final Map<Caller.Channel, Set<Action>> SERVICE = Map.of(
            Caller.Channel.GRPC, EnumSet.of(Action.OBSERVE, Action.INSPECT_SERVICES, Action.SUBSCRIBE_MEDIA, Action.INGEST,
                    Action.USE_MODELS));

    public static final String SERVICE_ROLE = "service";

    @Override
    public Decision check(Caller caller, Action action, Resource resource) {
        boolean service = caller.roles().contains(SERVICE_ROLE);
        Set<Action> allowed = (service ? SERVICE : ANONYMOUS).getOrDefault(caller.channel(), Set.of());
        if (allowed.contains(action)) {
            return Decision.allow(service ? "service credentials" : "open to every caller");
        }
        return Decision.deny(refusal(caller, action, service));
    }

    private static String refusal(Caller caller, Action action, boolean service) {
        if (caller.channel() == Caller.Channel.GRPC && !service) {
            return resourceKind(action) + " is an internal Steno service: it needs the deployment's service token"
                    + " (service.token, or <data.dir>/service-token)";
        }
        return switch (action) {
            case SEARCH_ARCHIVE -> "searching the archive needs a signed-in auditor, and sign-in is not available yet";
            case ADMINISTER -> "administration needs a signed-in administrator, and sign-in is not available yet";
            default -> action + " is not allowed through " + caller.channel();
        };
    }

    private static String resourceKind(Action action) {
        return switch (action) {
            case SUBSCRIBE_MEDIA -> "reading live media";
            case INGEST -> "pushing media or captions into a meeting";
            case USE_MODELS -> "running a speech model";
            case INSPECT_SERVICES -> "reflection";
            default -> action.toString();
        };
    }
}
