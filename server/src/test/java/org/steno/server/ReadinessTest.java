package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Access;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A role whose storage is down starts anyway, says so in /readyz with 503, and recovers. */
class ReadinessTest {

    @TempDir
    Path tmp;

    private JsonNode readyz(HttpClient http, StenoProcess p, int expectedStatus) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + "/readyz"))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expectedStatus);
        return JsonMapper.builder().build().readTree(r.body());
    }

    @Test
    void readyzIs503WhileStorageIsDownAnd200OnceItIsUp() throws Exception {
        int s3Port;
        try (ServerSocket probe = new ServerSocket(0)) {
            s3Port = probe.getLocalPort();
        }
        // The recorder uses the store of a 'steno server' on this host; none runs yet.
        Map<String, String> recorderEnv = TestConfigs.ephemeralEnv(tmp);
        recorderEnv.put("STENO_S3_PORT", Integer.toString(s3Port));
        HttpClient http = HttpClient.newHttpClient();
        try (StenoProcess recorder = new StenoProcess(Role.RECORDER, ConfigLoader.load(null, recorderEnv), Access.allowAll())) {
            recorder.start();
            JsonNode down = readyz(http, recorder, 503);
            assertThat(down.path("status").asString()).isEqualTo("not-ready");
            JsonNode s3 = down.path("components").valueStream().filter(c -> c.path("name").asString().equals("s3")).findFirst().orElseThrow();
            assertThat(s3.path("ready").asBoolean()).isFalse();
            assertThat(s3.path("detail").asString()).contains("unreachable").contains(Integer.toString(s3Port));

            // Now the server with the embedded store comes up on that port, sharing the data directory.
            Map<String, String> serverEnv = TestConfigs.ephemeralEnv(tmp);
            serverEnv.put("STENO_S3_PORT", Integer.toString(s3Port));
            try (StenoProcess server = new StenoProcess(Role.SERVER, ConfigLoader.load(null, serverEnv), Access.allowAll())) {
                server.start();
                JsonNode up = readyz(http, recorder, 200);
                assertThat(up.path("status").asString()).isEqualTo("ready");
            }
        }
    }
}
