package org.steno.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Action;
import org.steno.access.Resource;
import org.steno.server.TestConfigs;
import org.steno.server.access.StenoPolicy;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/** Requests map to the action and resource their route declares: no regex on raw paths. */
class RouteTableTest {

    @TempDir
    static Path dataDir;
    static StenoProcess steno;

    @BeforeAll
    static void start() throws Exception {
        steno = new StenoProcess(Role.UP, TestConfigs.ephemeral(dataDir), new StenoPolicy());
        steno.start();
    }

    @AfterAll
    static void stop() {
        steno.close();
    }

    private static Action action(String method, String path) {
        return steno.routes().match(method, HttpGuard.normalized(path)).orElseThrow(() -> new AssertionError(method + " " + path))
                .route().action();
    }

    private static Resource resource(String method, String path) {
        RouteTable.Match m = steno.routes().match(method, HttpGuard.normalized(path)).orElseThrow();
        return m.route().resource(HttpGuard.normalized(path), m.params());
    }

    @Test
    void meetingPathsMapToMeetingActions() {
        assertThat(action("POST", "/api/meetings")).isEqualTo(Action.CREATE_MEETING);
        assertThat(resource("POST", "/api/meetings")).isEqualTo(Resource.meeting(""));
        assertThat(action("POST", "/api/meetings/abc-defg-hij/join")).isEqualTo(Action.JOIN_MEETING);
        assertThat(action("WS", "/ws/meetings/abc-defg-hij")).isEqualTo(Action.JOIN_MEETING);
        assertThat(action("WS", "/ws/meetings/abc-defg-hij/captions")).isEqualTo(Action.SUBSCRIBE_MEDIA);
        assertThat(action("GET", "/m/abc-defg-hij")).isEqualTo(Action.VIEW);
        assertThat(resource("GET", "/m/abc-defg-hij")).isEqualTo(Resource.meeting("abc-defg-hij"));
        assertThat(action("GET", "/api/meetings/abc-defg-hij/archive")).isEqualTo(Action.DOWNLOAD);
        assertThat(action("GET", "/api/meetings/abc-defg-hij/archive/recordings/r/mixed.ogg")).isEqualTo(Action.DOWNLOAD);
        assertThat(action("HEAD", "/api/meetings/abc-defg-hij/archive/recordings/r/mixed.ogg")).isEqualTo(Action.DOWNLOAD);
        assertThat(resource("GET", "/api/meetings/abc-defg-hij/archive/recordings/r/mixed.ogg"))
                .isEqualTo(Resource.meeting("abc-defg-hij"));
        assertThat(action("GET", "/m/abc-defg-hij/archive")).as("the page shell").isEqualTo(Action.VIEW);
        assertThat(action("GET", "/room.js")).isEqualTo(Action.VIEW);
        assertThat(action("GET", "/api/audit")).isEqualTo(Action.READ_AUDIT);
        assertThat(action("GET", "/api/search")).isEqualTo(Action.SEARCH_ARCHIVE);
        assertThat(resource("GET", "/api/search")).isEqualTo(new Resource("archive", ""));
        assertThat(action("GET", "/search")).as("the page shell").isEqualTo(Action.VIEW);
        assertThat(action("POST", "/api/accounts/alice/disable")).isEqualTo(Action.ADMINISTER);
        assertThat(resource("POST", "/api/accounts/alice/disable")).isEqualTo(new Resource("accounts", "alice"));
        // The policy judges the meeting the handler serves: its path parameter is percent-decoded.
        assertThat(resource("GET", "/api/meetings/abc-defg-hi%6A/archive/recordings/r/mixed.ogg"))
                .isEqualTo(Resource.meeting("abc-defg-hij"));
        assertThat(resource("GET", "/api/meetings/a+b/archive")).isEqualTo(Resource.meeting("a+b"));
    }

    @Test
    void aTrailingSlashIsJudgedAsTheRouteThatServesIt() {
        assertThat(action("POST", "/api/meetings/abc-defg-hij/recording/")).isEqualTo(Action.CONTROL_RECORDING);
        assertThat(action("POST", "/api/meetings/abc-defg-hij/captions//")).isEqualTo(Action.CONTROL_CAPTIONS);
        assertThat(action("POST", "/api/meetings/")).isEqualTo(Action.CREATE_MEETING);
        assertThat(HttpGuard.normalized("/")).isEqualTo("/");
    }

    @Test
    void aPathNoRouteDeclaresIsNotMatchedAtAll() {
        assertThat(steno.routes().match("GET", "/api/secret")).isEmpty();
        assertThat(steno.routes().match("POST", "/m/abc-defg-hij")).as("a method the route does not declare").isEmpty();
        assertThat(steno.routes().match("GET", "/web/../etc/passwd")).isEmpty();
        assertThat(steno.routes().match("WS", "/api/meetings")).isEmpty();
    }

    @Test
    void aRouteCannotBeDeclaredTwiceOrWithoutItsMeeting() {
        RouteTable t = new RouteTable();
        t.add(new Route("GET", "/x/{id}", Action.VIEW, Route.On.WEB));
        assertThatThrownBy(() -> t.add(new Route("GET", "/x/{id}", Action.DOWNLOAD, Route.On.WEB)))
                .hasMessageContaining("declared twice");
        assertThatThrownBy(() -> new Route("POST", "/api/things", Action.CONTROL_RECORDING, Route.On.MEETING))
                .hasMessageContaining("{id}");
    }
}
