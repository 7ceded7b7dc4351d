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

/** The recording REST route and the recorder's readiness in a real recorder process. */
class RecordingApiTest {

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(StenoProcess p, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + path))
                .timeout(Duration.ofSeconds(15));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void recordingRouteAnswersAndReadinessShowsTheSpoolDisk() throws Exception {
        try (StenoProcess p = new StenoProcess(Role.RECORDER, TestConfigs.ephemeral(tmp), Access.allowAll())) {
            p.start();
            HttpResponse<String> bad = send(p, "POST", "/api/meetings/abc-defg-hij/recording", "{\"enabled\": 1}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("enabled");

            // No media plane in a lone recorder process yet: a clear refusal, not a silent empty recording.
            HttpResponse<String> start = send(p, "POST", "/api/meetings/abc-defg-hij/recording", "{\"enabled\": true}");
            assertThat(start.statusCode()).isEqualTo(503);
            assertThat(start.body()).contains("no media plane");

            HttpResponse<String> stop = send(p, "POST", "/api/meetings/abc-defg-hij/recording", "{\"enabled\": false}");
            assertThat(stop.statusCode()).isEqualTo(200);
            JsonNode s = JsonMapper.builder().build().readTree(stop.body());
            assertThat(s.path("recording").asBoolean()).isFalse();
            assertThat(send(p, "GET", "/api/meetings/abc-defg-hij/recording", null).body()).contains("\"recording\":false");

            JsonNode ready = JsonMapper.builder().build().readTree(send(p, "GET", "/readyz", null).body());
            JsonNode recorder = ready.path("components").valueStream()
                    .filter(c -> c.path("name").asString().equals("recorder")).findFirst().orElseThrow();
            assertThat(recorder.path("ready").asBoolean()).isTrue();
            assertThat(recorder.path("detail").asString()).contains("MB free").contains("waiting for storage");
        }
    }

    @Test
    void startingARecordingNeedsControlRecordingOnTheMeeting() throws Exception {
        Access noRecording = (caller, action, resource) -> action == Action.CONTROL_RECORDING
                && resource.id().equals("abc-defg-hij")
                ? Decision.deny("hosts only") : Decision.allow("test");
        try (StenoProcess p = new StenoProcess(Role.RECORDER, TestConfigs.ephemeral(tmp), noRecording)) {
            p.start();
            assertThat(send(p, "POST", "/api/meetings/abc-defg-hij/recording", "{\"enabled\": true}").statusCode())
                    .as("refused, and nobody is signed in").isEqualTo(401);
            assertThat(send(p, "GET", "/api/meetings/abc-defg-hij/recording", null).statusCode()).isEqualTo(200);
        }
    }
}
