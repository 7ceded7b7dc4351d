package org.steno.server.roles;

import io.grpc.BindableService;
import java.util.List;
import org.steno.models.kyutai.KyutaiEngine;
import org.steno.models.kyutai.KyutaiSettings;
import org.steno.models.kyutai.KyutaiTranscriberService;
import org.steno.models.remote.RemoteReadiness;
import org.steno.server.config.StenoConfig;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;

/**
 * The models role with {@code models.engine=kyutai}: Transcriber served by Kyutai's STT server
 * (moshi-server) through the adapter in {@code models}; Diarizer stays the builtin one, since Kyutai's
 * server does not diarize. Only configuration is wired here.
 */
final class KyutaiModelsRole implements Component {

    private final KyutaiEngine engine;

    KyutaiModelsRole(StenoConfig config) {
        this.engine = new KyutaiEngine(KyutaiSettings.of(config.modelsKyutaiUrl(), config.modelsKyutaiApiKey()));
    }

    List<BindableService> grpcServices() {
        return List.of(new KyutaiTranscriberService(engine), new org.steno.models.diarize.service.DiarizerService());
    }

    @Override
    public String name() {
        return "models";
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
        engine.close();
    }

    @Override
    public Readiness readiness() {
        RemoteReadiness r = engine.readiness();
        return r.ready() ? Readiness.ready(r.detail()) : Readiness.notReady(r.detail());
    }
}
