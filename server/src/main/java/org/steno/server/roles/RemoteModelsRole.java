package org.steno.server.roles;

import io.grpc.BindableService;
import java.io.IOException;
import java.util.List;
import org.steno.models.remote.RemoteDiarizerService;
import org.steno.models.remote.RemoteEngineSettings;
import org.steno.models.remote.RemoteReadiness;
import org.steno.models.remote.RemoteSpeechClient;
import org.steno.models.remote.RemoteTranscriberService;
import org.steno.server.config.Setting;
import org.steno.server.config.StenoConfig;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;
import org.steno.server.lifecycle.StartupException;

/**
 * The models role with {@code models.engine=grpc}: Transcriber and Diarizer served by relaying
 * to a remote server that implements the same contract (a GPU host), with deadlines, reconnect
 * with backoff and optional TLS. The pipeline and {@code steno transcribe} see no difference.
 * Diarizer calls go to {@code models.remote-diarizer-address} when it is set (the pyannote
 * sidecar serves only Diarizer), with the same TLS and token.
 */
final class RemoteModelsRole implements Component {

    private final StenoConfig config;
    private final Relay relay;
    private final Relay diarizerRelay;

    RemoteModelsRole(StenoConfig config) {
        this.config = config;
        this.relay = new Relay(config.modelsRemoteAddress());
        this.diarizerRelay = config.modelsDiarizerAddress().equals(config.modelsRemoteAddress()) ? relay
                : new Relay(config.modelsDiarizerAddress());
    }

    List<BindableService> grpcServices() {
        return List.of(new RemoteTranscriberService(relay.client()), new RemoteDiarizerService(diarizerRelay.client()));
    }

    @Override
    public String name() {
        return "models";
    }

    @Override
    public void start() throws StartupException {
        relay.client();
        diarizerRelay.client();
    }

    @Override
    public void stop() {
        relay.close();
        diarizerRelay.close();
    }

    @Override
    public Readiness readiness() {
        RemoteReadiness r = relay.client().readiness();
        if (!r.ready()) {
            return Readiness.notReady(r.detail());
        }
        if (diarizerRelay == relay) {
            return Readiness.ready("remote speech server " + config.modelsRemoteAddress() + ": " + r.detail());
        }
        RemoteReadiness d = diarizerRelay.client().readiness();
        return d.ready() ? Readiness.ready("remote speech server " + config.modelsRemoteAddress() + ": " + r.detail()
                + "; diarizer " + config.modelsDiarizerAddress() + ": " + d.detail()) : Readiness.notReady("diarizer: " + d.detail());
    }

    /** One client per remote address, created on first use (the services are built before start). */
    private final class Relay implements AutoCloseable {
        private final String address;
        private RemoteSpeechClient client;

        Relay(String address) {
            this.address = address;
        }

        synchronized RemoteSpeechClient client() {
            if (client == null) {
                RemoteEngineSettings s = RemoteEngineSettings.plaintext(address);
                if (config.modelsRemoteTls()) {
                    s = s.withTls(config.modelsRemoteCa());
                }
                try {
                    client = new RemoteSpeechClient(s, config.modelsRemoteToken().isEmpty() ? null
                            : org.steno.access.ServiceToken.of(config.modelsRemoteToken()));
                } catch (IOException e) {
                    throw new IllegalStateException(Setting.MODELS_REMOTE_CA.label() + ": " + e.getMessage(), e);
                }
            }
            return client;
        }

        @Override
        public synchronized void close() {
            if (client != null) {
                client.close();
                client = null;
            }
        }
    }
}
