package org.steno.models.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.proto.speech.v1.RecognizeRequest;
import org.steno.proto.speech.v1.TranscriberGrpc;

/** The remote speech server speaks TLS with a self-signed certificate made by the JDK's keytool. */
class RemoteTlsTest {

    static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    static Path caPem;
    static Server tlsRemote;

    @BeforeAll
    static void startTlsRemote() throws Exception {
        Path keyStore = dir.resolve("server.p12");
        caPem = dir.resolve("ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "remote", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD);
        run(keytool, "-exportcert", "-rfc", "-alias", "remote", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-file", caPem.toString());

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        tlsRemote = RemoteTestKit.startServer(0,
                TlsServerCredentials.newBuilder().keyManager(kmf.getKeyManagers()).build(),
                new FixedAnswerTranscriber());
    }

    static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        RemoteTestKit.stop(tlsRemote);
    }

    /** Proxy pointed at the TLS remote with the given settings; calls Recognize once through it. */
    static String recognizeThrough(RemoteEngineSettings settings) throws Exception {
        try (RemoteSpeechClient client = new RemoteSpeechClient(settings)) {
            Server proxy = RemoteTestKit.startServer(0, new RemoteTranscriberService(client));
            ManagedChannel caller = RemoteTestKit.plaintextChannel(proxy);
            try {
                return TranscriberGrpc.newBlockingStub(caller).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .recognize(RecognizeRequest.newBuilder().setRequestId("tls").build()).getRequestId();
            } finally {
                RemoteTestKit.stop(caller);
                RemoteTestKit.stop(proxy);
            }
        }
    }

    static String target() {
        return "127.0.0.1:" + tlsRemote.getPort();
    }

    @Test
    void tlsRoundTripTrustingTheGivenCa() throws Exception {
        assertThat(recognizeThrough(RemoteEngineSettings.plaintext(target()).withTls(caPem))).isEqualTo("tls");
    }

    @Test
    void plaintextClientToTlsServerFailsNamingTheTarget() {
        assertThatThrownBy(() -> recognizeThrough(RemoteEngineSettings.plaintext(target())
                .withCallDeadline(Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).isEqualTo("speech server " + target()
                            + " is unreachable (connection closed by the server; does it require TLS?);"
                            + " retrying with backoff");
                });
    }

    @Test
    void tlsClientNotTrustingTheCertificateIsRefused() {
        assertThatThrownBy(() -> recognizeThrough(RemoteEngineSettings.plaintext(target()).withTls(null)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).isEqualTo("speech server " + target()
                            + " is unreachable (its certificate is not trusted; set the trusted CA file);"
                            + " retrying with backoff");
                });
    }

    @Test
    void unreadableCaFileIsRefusedWithOneSentence() {
        assertThatThrownBy(() -> new RemoteSpeechClient(RemoteEngineSettings.plaintext(target())
                .withTls(dir.resolve("missing.pem"))))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith("cannot read the trusted CA file " + dir.resolve("missing.pem"));
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> RemoteEngineSettings.plaintext("gpu-1"))
                .hasMessage("remote speech server target 'gpu-1' is not host:port (e.g. gpu-1:50051)");
        assertThatThrownBy(() -> new RemoteEngineSettings("gpu-1:50051", false, caPem,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(5)))
                .hasMessageContaining("TLS is off");
        assertThatThrownBy(() -> RemoteEngineSettings.plaintext("gpu-1:50051").withCallDeadline(Duration.ZERO))
                .hasMessageContaining("callDeadline must be a positive duration");
    }
}
