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

/** The role × action matrix of the policy: every action must have a row, so a new action cannot go unjudged. */
class StenoPolicyTest {

    enum Who { ANONYMOUS_HTTP, ANONYMOUS_WEBSOCKET, ANONYMOUS_GRPC, SERVICE_GRPC, SERVICE_HTTP }

    /** Expected allows; everything else must be denied. */
    private static final Map<Action, Set<Who>> ALLOWED = new EnumMap<>(Map.ofEntries(
            Map.entry(Action.VIEW, Set.of(Who.ANONYMOUS_HTTP)),
            Map.entry(Action.OBSERVE, Set.of(Who.ANONYMOUS_HTTP, Who.ANONYMOUS_GRPC, Who.SERVICE_GRPC)),
            Map.entry(Action.INSPECT_SERVICES, Set.of(Who.SERVICE_GRPC)),
            Map.entry(Action.CREATE_MEETING, Set.of(Who.ANONYMOUS_HTTP)),
            Map.entry(Action.JOIN_MEETING, Set.of(Who.ANONYMOUS_HTTP, Who.ANONYMOUS_WEBSOCKET)),
            Map.entry(Action.HOST_MEETING, Set.of()),
            Map.entry(Action.CONTROL_RECORDING, Set.of(Who.ANONYMOUS_HTTP)),
            Map.entry(Action.CONTROL_CAPTIONS, Set.of(Who.ANONYMOUS_HTTP)),
            Map.entry(Action.SUBSCRIBE_MEDIA, Set.of(Who.ANONYMOUS_HTTP, Who.ANONYMOUS_WEBSOCKET, Who.SERVICE_GRPC)),
            Map.entry(Action.INGEST, Set.of(Who.SERVICE_GRPC)),
            Map.entry(Action.USE_MODELS, Set.of(Who.SERVICE_GRPC)),
            Map.entry(Action.DOWNLOAD, Set.of(Who.ANONYMOUS_HTTP)),
            Map.entry(Action.SEARCH_ARCHIVE, Set.of()),
            Map.entry(Action.ADMINISTER, Set.of())));

    private static Caller caller(Who who) {
        return switch (who) {
            case ANONYMOUS_HTTP -> Caller.anonymous("203.0.113.7", Caller.Channel.HTTP);
            case ANONYMOUS_WEBSOCKET -> Caller.anonymous("203.0.113.7", Caller.Channel.WEBSOCKET);
            case ANONYMOUS_GRPC -> Caller.anonymous("203.0.113.7", Caller.Channel.GRPC);
            case SERVICE_GRPC -> new Caller("service", Set.of(StenoPolicy.SERVICE_ROLE), "127.0.0.1", Caller.Channel.GRPC);
            case SERVICE_HTTP -> new Caller("service", Set.of(StenoPolicy.SERVICE_ROLE), "127.0.0.1", Caller.Channel.HTTP);
        };
    }

    @Test
    void everyActionForEveryCallerIsAsTheTableSays() {
        assertThat(ALLOWED.keySet()).as("a row per action").containsExactlyInAnyOrder(Action.values());
        StenoPolicy policy = new StenoPolicy();
        List<String> unexpected = new ArrayList<>();
        for (Action a : Action.values()) {
            for (Who w : Who.values()) {
                Decision d = policy.check(caller(w), a, Resource.meeting("abc-defg-hij"));
                if (d.allowed() != ALLOWED.get(a).contains(w)) {
                    unexpected.add(a + " × " + w + " → " + (d.allowed() ? "allowed" : "denied"));
                }
                assertThat(d.reason()).isNotBlank();
            }
        }
        assertThat(unexpected).as("unexpected decisions").isEmpty();
    }

    @Test
    void aGrpcRefusalNamesTheServiceToken() {
        Decision d = new StenoPolicy().check(caller(Who.ANONYMOUS_GRPC), Action.INGEST, new Resource("grpc", "steno.media.v1.MediaIngest/Ingest"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("service token");
    }
}
