package org.steno.server.access;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.steno.access.Access;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;

/**
 * The platform's policy, deny by default: a request is allowed only when one of the caller's
 * roles is named for its action on its channel below. Every refusal says what would be needed.
 *
 * <p>Roles are strings on the {@link Caller}: the platform roles of a signed-in account
 * ({@value #ADMIN}, {@value #AGENT}, {@value #AUDITOR}), the caller's role in the meeting the
 * request is about ({@value #OWNER}, {@value #HOST}, {@value #PARTICIPANT}), and
 * {@value #SERVICE} for the deployment's own roles holding the service token. A caller
 * without any role (nobody signed in) is a {@value #GUEST}: someone who came by link.
 *
 * <p>gRPC carries the internal contracts between Steno roles (MediaTap, MediaIngest,
 * CaptionIngest, Transcriber, Diarizer): only the service role reaches them; anyone may ask
 * gRPC health.
 */
public final class StenoPolicy implements Access {

    public static final String ADMIN = "admin";
    public static final String AGENT = "agent";
    public static final String AUDITOR = "auditor";
    public static final String OWNER = "owner";
    public static final String HOST = "host";
    public static final String PARTICIPANT = "participant";
    /** A signed-in account that was in the meeting (entered its room): may open its archive afterwards. */
    public static final String ATTENDEE = "attendee";
    public static final String GUEST = "guest";
    public static final String SERVICE_ROLE = "service";
    /** Whoever runs {@code steno accounts|audit} on the host: they can read data.dir and the database settings anyway. */
    public static final String OPERATOR = "operator";

    private static final Set<String> EVERYONE = Set.of(GUEST, PARTICIPANT, HOST, OWNER, ATTENDEE, AGENT, AUDITOR, ADMIN,
            SERVICE_ROLE);
    /**
     * People in a meeting; an auditor reads the archive but never joins or listens to a live
     * meeting. An attendee may come back (someone signed in without a platform role is a guest
     * until they have been in the meeting, an attendee after).
     */
    private static final Set<String> MEETING_PEOPLE = Set.of(GUEST, PARTICIPANT, HOST, OWNER, ATTENDEE, AGENT, ADMIN);

    /** Who may do what through the web (HTTP routes and WebSockets). */
    private static final Map<Action, Set<String>> WEB = new EnumMap<>(Map.ofEntries(
            Map.entry(Action.VIEW, EVERYONE),
            Map.entry(Action.OBSERVE, EVERYONE),
            Map.entry(Action.SIGN_IN, EVERYONE),
            Map.entry(Action.CREATE_MEETING, Set.of(AGENT, ADMIN)),
            Map.entry(Action.JOIN_MEETING, MEETING_PEOPLE),
            Map.entry(Action.SUBSCRIBE_MEDIA, MEETING_PEOPLE),
            Map.entry(Action.HOST_MEETING, Set.of(OWNER, HOST)),
            Map.entry(Action.MANAGE_MEETING, Set.of(OWNER)),
            Map.entry(Action.LIST_MY_MEETINGS, Set.of(AGENT, AUDITOR, ADMIN)),
            Map.entry(Action.CONTROL_RECORDING, Set.of(OWNER, HOST)),
            Map.entry(Action.CONTROL_CAPTIONS, Set.of(OWNER, HOST)),
            Map.entry(Action.DOWNLOAD, Set.of(OWNER, HOST, ATTENDEE, AUDITOR)),
            // The whole archive at once, with its legal hold state: the meeting's owner and auditors only.
            Map.entry(Action.EXPORT_EVIDENCE, Set.of(OWNER, AUDITOR)),
            // Agents search only the meetings they may open: the scope is applied inside the search.
            Map.entry(Action.SEARCH_ARCHIVE, Set.of(AGENT, AUDITOR, ADMIN)),
            Map.entry(Action.LEGAL_HOLD, Set.of(AUDITOR, ADMIN)),
            Map.entry(Action.SET_RETENTION, Set.of(ADMIN)),
            Map.entry(Action.READ_AUDIT, Set.of(AUDITOR, ADMIN)),
            Map.entry(Action.ADMINISTER, Set.of(ADMIN))));

    /** Who may call what over gRPC. */
    private static final Map<Action, Set<String>> GRPC = new EnumMap<>(Map.ofEntries(
            Map.entry(Action.OBSERVE, EVERYONE),
            Map.entry(Action.INSPECT_SERVICES, Set.of(SERVICE_ROLE)),
            Map.entry(Action.SUBSCRIBE_MEDIA, Set.of(SERVICE_ROLE)),
            Map.entry(Action.INGEST, Set.of(SERVICE_ROLE)),
            Map.entry(Action.USE_MODELS, Set.of(SERVICE_ROLE))));

    /** What the command line of the host may do. */
    private static final Map<Action, Set<String>> CLI = new EnumMap<>(Map.of(
            Action.ADMINISTER, Set.of(OPERATOR),
            Action.READ_AUDIT, Set.of(OPERATOR)));

    @Override
    public Decision check(Caller caller, Action action, Resource resource) {
        Set<String> roles = caller.roles().isEmpty() ? Set.of(GUEST) : caller.roles();
        Map<Action, Set<String>> rules = switch (caller.channel()) {
            case HTTP, WEBSOCKET -> WEB;
            case GRPC -> GRPC;
            case CLI -> CLI;
        };
        Set<String> allowed = rules.getOrDefault(action, Set.of());
        for (String r : roles) {
            if (allowed.contains(r)) {
                return Decision.allow("role " + r + " may " + action);
            }
        }
        return Decision.deny(refusal(caller, action));
    }

    private static String refusal(Caller caller, Action action) {
        boolean signedIn = !caller.roles().isEmpty();
        if (caller.channel() == Caller.Channel.GRPC) {
            return resourceKind(action) + " is an internal Steno service: it needs the deployment's service token"
                    + " (service.token, or <data.dir>/service-token)";
        }
        return switch (action) {
            case CREATE_MEETING -> signedIn
                    ? "creating a meeting needs the agent role; ask an administrator"
                    : "sign in to create a meeting";
            case JOIN_MEETING, SUBSCRIBE_MEDIA -> "an auditor reads the archive but does not join live meetings";
            case HOST_MEETING, CONTROL_RECORDING, CONTROL_CAPTIONS -> signedIn
                    ? "only the meeting's owner or a host may do that"
                    : "sign in as the meeting's owner or a host to do that";
            case LIST_MY_MEETINGS -> signedIn
                    ? "your account has no role; an administrator can give it the agent role"
                    : "sign in to see your meetings";
            case MANAGE_MEETING -> signedIn
                    ? "only the meeting's owner may change its settings, co-hosts and invitations"
                    : "sign in as the meeting's owner to change its settings";
            case DOWNLOAD -> signedIn
                    ? "only the meeting's owner, a host, someone who was in it or an auditor may download its recordings and transcripts"
                    : "sign in to download this meeting's recordings and transcripts";
            case EXPORT_EVIDENCE -> signedIn
                    ? "only the meeting's owner or an auditor may export its evidence"
                    : "sign in as the meeting's owner or an auditor to export its evidence";
            case SEARCH_ARCHIVE -> signedIn
                    ? "searching the archive needs the agent, auditor or administrator role"
                    : "sign in to search the archive";
            case LEGAL_HOLD -> "placing or releasing a legal hold needs the auditor or administrator role";
            case SET_RETENTION -> "setting how long the archive keeps files needs the administrator role";
            case READ_AUDIT -> "reading the audit log needs the auditor or administrator role";
            case ADMINISTER -> "administration needs the administrator role";
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
