package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Access;
import org.steno.access.Action;
import org.steno.access.Decision;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The host's captions switch, through the real HTTP server. */
class CaptionsApiTest {

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private HttpResponse<String> send(StenoProcess p, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void captionsTurnOnAndOffAndBadRequestsAreExplained() throws Exception {
        try (StenoProcess p = new StenoProcess(Role.SFU, TestConfigs.ephemeral(dataDir), Access.allowAll())) {
            p.start();
            String id = json.readTree(send(p, "POST", "/api/meetings", "{\"title\":\"cc\"}").body()).path("id").asString();

            HttpResponse<String> on = send(p, "POST", "/api/meetings/" + id + "/captions", "{\"enabled\": true, \"language\": \"en\"}");
            assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
            JsonNode meeting = json.readTree(send(p, "GET", "/api/meetings/" + id, null).body());
            assertThat(meeting.path("captionsEnabled").asBoolean()).isTrue();

            HttpResponse<String> off = send(p, "POST", "/api/meetings/" + id + "/captions", "{\"enabled\": false}");
            assertThat(off.statusCode()).isEqualTo(200);
            assertThat(json.readTree(send(p, "GET", "/api/meetings/" + id, null).body()).path("captionsEnabled").asBoolean()).isFalse();

            for (String bad : new String[] {"", "{", "{\"enabled\": \"yes\"}", "{\"enabled\": true, \"language\": \"english please\"}"}) {
                HttpResponse<String> r = send(p, "POST", "/api/meetings/" + id + "/captions", bad);
                assertThat(r.statusCode()).as(bad).isEqualTo(400);
                assertThat(json.readTree(r.body()).path("error").asString()).as(bad).isNotBlank();
            }
            HttpResponse<String> unknown = send(p, "POST", "/api/meetings/zzz-zzzz-zzz/captions", "{\"enabled\": true}");
            assertThat(unknown.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void onlyCallersAllowedToControlCaptionsMayDoIt() throws Exception {
        Access noCaptions = (caller, action, resource) -> action == Action.CONTROL_CAPTIONS
                ? Decision.deny("only the host may turn captions on") : Decision.allow("test");
        try (StenoProcess p = new StenoProcess(Role.SFU, TestConfigs.ephemeral(dataDir), noCaptions)) {
            p.start();
            String id = json.readTree(send(p, "POST", "/api/meetings", "{}").body()).path("id").asString();
            HttpResponse<String> r = send(p, "POST", "/api/meetings/" + id + "/captions", "{\"enabled\": true}");
            assertThat(r.statusCode()).as("refused, and nobody is signed in").isEqualTo(401);
            assertThat(r.body()).contains("only the host may turn captions on");
            assertThat(json.readTree(send(p, "GET", "/api/meetings/" + id, null).body()).path("captionsEnabled").asBoolean()).isFalse();
        }
    }
}
