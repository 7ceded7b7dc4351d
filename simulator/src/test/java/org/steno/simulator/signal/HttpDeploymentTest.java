package org.steno.simulator.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the load client makes of a server's answers to the guest join, over real HTTP: a token, a 429 waited out
 * as its Retry-After says, and one sentence for a 404, a refusal, an answer without a token, a server that is
 * not there, a URL that is not HTTP.
 */
class HttpDeploymentTest {

    private HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int status = 200;
    private volatile String body = "{\"token\":\"t0k3n\"}";
    private volatile int tooManyFirst;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/meetings/", ex -> {
            int n = calls.incrementAndGet();
            byte[] out;
            int code;
            if (n <= tooManyFirst) {
                ex.getResponseHeaders().add("Retry-After", "1");
                code = 429;
                out = "{\"error\":\"too many requests\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                code = status;
                out = body.getBytes(StandardCharsets.UTF_8);
            }
            ex.sendResponseHeaders(code, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private HttpDeployment deployment() {
        return new HttpDeployment(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), executor);
    }

    @Test
    void aGuestJoinGivesTheToken() throws Exception {
        assertThat(deployment().join("abc-defg-hij", "Sim 001")).isEqualTo("t0k3n");
    }

    @Test
    void aRateLimitIsWaitedOut() throws Exception {
        tooManyFirst = 2;
        assertThat(deployment().join("abc-defg-hij", "Sim 001")).isEqualTo("t0k3n");
        assertThat(calls).hasValue(3);
    }

    @Test
    void badAnswersAreOneSentenceEach() {
        status = 404;
        body = "{\"error\":\"no such meeting\"}";
        assertThatThrownBy(() -> deployment().join("abc-defg-hij", "x"))
                .isInstanceOf(SimulationException.class).hasMessageContaining("meeting abc-defg-hij does not exist");
        status = 403;
        body = "{\"error\":\"guests may not join this meeting\"}";
        assertThatThrownBy(() -> deployment().join("abc-defg-hij", "x"))
                .hasMessage("the server refused the join: HTTP 403 guests may not join this meeting");
        status = 202;
        body = "{\"status\":\"waiting\",\"requestId\":\"r1\"}";
        assertThatThrownBy(() -> deployment().join("abc-defg-hij", "x"))
                .hasMessageContaining("keeps guests in its lobby").hasMessageContaining("make the meeting public");
        status = 200;
        body = "<html>a proxy's page</html>";
        assertThatThrownBy(() -> deployment().join("abc-defg-hij", "x")).hasMessageContaining("has no token");
    }

    @Test
    void aServerThatIsNotThereOrAUrlThatIsNotHttp() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        HttpDeployment none = new HttpDeployment(URI.create("http://127.0.0.1:" + free), executor);
        assertThatThrownBy(() -> none.join("abc-defg-hij", "x")).hasMessageContaining("cannot connect to");
        assertThatThrownBy(() -> new HttpDeployment(URI.create("ftp://example.org"), executor))
                .hasMessageContaining("--server must be an http:// or https:// URL");
    }
}
