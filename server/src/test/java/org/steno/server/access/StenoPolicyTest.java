package org.steno.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;

/**
 * The role × action matrix of the policy itself, for every role the platform knows (the HTTP
 * boundary is {@code AccessMatrixTest}'s): every action must have a row, so a new action cannot
 * go unjudged.
 */
class StenoPolicyTest {

    enum Who { GUEST, PARTICIPANT, HOST, OWNER, ATTENDEE, AGENT, AUDITOR, ADMIN, SERVICE, OPERATOR }

    /** Every caller of the network entry points; the operator exists only on the command line. */
    private static final Set<Who> EVERYONE = java.util.EnumSet.complementOf(java.util.EnumSet.of(Who.OPERATOR));
    private static final Set<Who> PEOPLE = Set.of(Who.GUEST, Who.PARTICIPANT, Who.HOST, Who.OWNER, Who.ATTENDEE, Who.AGENT,
            Who.ADMIN);

    /** Expected allows through the web (HTTP and WebSocket); everything else must be denied. */
    private static final Map<Action, Set<Who>> WEB = new EnumMap<>(Map.ofEntries(
            Map.entry(Action.VIEW, EVERYONE),
            Map.entry(Action.SIGN_IN, EVERYONE),
            Map.entry(Action.OBSERVE, EVERYONE),
            Map.entry(Action.INSPECT_SERVICES, Set.of()),
            Map.entry(Action.CREATE_MEETING, Set.of(Who.AGENT, Who.ADMIN)),
            Map.entry(Action.JOIN_MEETING, PEOPLE),
            Map.entry(Action.HOST_MEETING, Set.of(Who.HOST, Who.OWNER)),
            Map.entry(Action.MANAGE_MEETING, Set.of(Who.OWNER)),
            Map.entry(Action.LIST_MY_MEETINGS, Set.of(Who.AGENT, Who.AUDITOR, Who.ADMIN)),
            Map.entry(Action.CONTROL_RECORDING, Set.of(Who.HOST, Who.OWNER)),
            Map.entry(Action.CONTROL_CAPTIONS, Set.of(Who.HOST, Who.OWNER)),
            Map.entry(Action.SUBSCRIBE_MEDIA, PEOPLE),
            Map.entry(Action.INGEST, Set.of()),
            Map.entry(Action.USE_MODELS, Set.of()),
            Map.entry(Action.DOWNLOAD, Set.of(Who.HOST, Who.OWNER, Who.ATTENDEE, Who.AUDITOR)),
            Map.entry(Action.EXPORT_EVIDENCE, Set.of(Who.OWNER, Who.AUDITOR)),
            Map.entry(Action.SEARCH_ARCHIVE, Set.of(Who.AGENT, Who.AUDITOR, Who.ADMIN)),
            Map.entry(Action.LEGAL_HOLD, Set.of(Who.AUDITOR, Who.ADMIN)),
            Map.entry(Action.SET_RETENTION, Set.of(Who.ADMIN)),
            Map.entry(Action.READ_AUDIT, Set.of(Who.AUDITOR, Who.ADMIN)),
            Map.entry(Action.ADMINISTER, Set.of(Who.ADMIN))));

    /** Expected allows over gRPC: the internal services are the service role's only. */
    private static final Map<Action, Set<Who>> GRPC = Map.of(
            Action.OBSERVE, EVERYONE,
            Action.INSPECT_SERVICES, Set.of(Who.SERVICE),
            Action.SUBSCRIBE_MEDIA, Set.of(Who.SERVICE),
            Action.INGEST, Set.of(Who.SERVICE),
            Action.USE_MODELS, Set.of(Who.SERVICE));

    /** Expected allows on the host's command line. */
    private static final Map<Action, Set<Who>> CLI = Map.of(
            Action.ADMINISTER, Set.of(Who.OPERATOR),
            Action.READ_AUDIT, Set.of(Who.OPERATOR));

    private static Caller caller(Who who, Caller.Channel channel) {
        if (who == Who.GUEST) {
            return Caller.anonymous("203.0.113.7", channel);
        }
        String role = switch (who) {
            case SERVICE -> StenoPolicy.SERVICE_ROLE;
            default -> who.name().toLowerCase(java.util.Locale.ROOT);
        };
        return new Caller("someone", Set.of(role), "203.0.113.7", channel);
    }

    @Test
    void everyActionForEveryCallerOnEveryChannelIsAsTheTablesSay() {
        assertThat(WEB.keySet()).as("a row per action").containsExactlyInAnyOrder(Action.values());
        StenoPolicy policy = new StenoPolicy();
        List<String> unexpected = new ArrayList<>();
        for (Caller.Channel channel : Caller.Channel.values()) {
            for (Action a : Action.values()) {
                Set<Who> allowed = switch (channel) {
                    case HTTP, WEBSOCKET -> WEB.get(a);
                    case GRPC -> GRPC.getOrDefault(a, Set.of());
                    case CLI -> CLI.getOrDefault(a, Set.of());
                };
                for (Who w : Who.values()) {
                    Decision d = policy.check(caller(w, channel), a, Resource.meeting("abc-defg-hij"));
                    if (d.allowed() != allowed.contains(w)) {
                        unexpected.add(channel + " " + a + " × " + w + " → " + (d.allowed() ? "allowed" : "denied"));
                    }
                    assertThat(d.reason()).isNotBlank();
                }
            }
        }
        assertThat(unexpected).as("unexpected decisions").isEmpty();
    }

    @Test
    void refusalsSayWhatWouldBeNeeded() {
        StenoPolicy p = new StenoPolicy();
        assertThat(p.check(caller(Who.GUEST, Caller.Channel.GRPC), Action.INGEST, new Resource("grpc", "steno.media.v1.MediaIngest/Ingest"))
                .reason()).contains("service token");
        assertThat(p.check(caller(Who.GUEST, Caller.Channel.HTTP), Action.CREATE_MEETING, Resource.meeting("")).reason())
                .contains("sign in");
        assertThat(p.check(caller(Who.AGENT, Caller.Channel.HTTP), Action.CONTROL_RECORDING, Resource.meeting("m")).reason())
                .contains("owner or a host");
        assertThat(p.check(caller(Who.AUDITOR, Caller.Channel.WEBSOCKET), Action.JOIN_MEETING, Resource.meeting("m")).reason())
                .contains("auditor");
        assertThat(p.check(caller(Who.HOST, Caller.Channel.HTTP), Action.EXPORT_EVIDENCE, Resource.meeting("m")).reason())
                .contains("owner or an auditor");
    }
}
