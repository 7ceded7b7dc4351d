package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Access;
import org.steno.access.Action;
import org.steno.access.Decision;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/** The meeting routes, the room page and the signaling upgrade all ask the access policy. */
class MeetingsAccessTest {

    @TempDir
    Path dataDir;

    @Test
    void aPolicyThatRefusesJoiningBlocksTheJoinApiAndTheWebSocket() throws Exception {
        Access noJoin = (caller, action, resource) -> action == Action.JOIN_MEETING
                ? Decision.deny("joining is closed") : Decision.allow("test");
        try (StenoProcess p = new StenoProcess(Role.SFU, TestConfigs.ephemeral(dataDir), noJoin)) {
            p.start();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + p.httpPort();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/meetings"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            String id = created.body().replaceAll(".*\"id\":\"([a-z-]+)\".*", "$1");
            HttpResponse<String> join = http.send(HttpRequest.newBuilder(URI.create(base + "/api/meetings/" + id + "/join"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"displayName\":\"A\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(join.statusCode()).isEqualTo(403);
            assertThatThrownBy(() -> http.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + p.httpPort() + "/ws/meetings/" + id), new WebSocket.Listener() {
                    }).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class)
                    .hasStackTraceContaining("403");
        }
    }
}
