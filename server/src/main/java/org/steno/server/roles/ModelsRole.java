package org.steno.server.roles;

import io.grpc.BindableService;
import java.util.ArrayList;
import java.util.List;
import org.steno.models.transcriber.EmbeddedTranscriber;
import org.steno.models.transcriber.TranscriberService;
import org.steno.models.transcriber.TranscriberSettings;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;

/**
 * The models role: the embedded speech engines behind the Transcriber (and Diarizer) gRPC
 * contracts. The engine is built in {@link #start()} (library and model checked, decoders
 * warmed in the background); readiness says what to install when pocketsphinx is missing, and
 * the service answers UNAVAILABLE with the same sentence instead of failing mid-stream.
 */
final class ModelsRole implements Component {

    private final TranscriberSettings settings;
    private final TranscriberService transcriber;
    private volatile EmbeddedTranscriber engine;

    ModelsRole(TranscriberSettings settings) {
        this.settings = settings;
        this.transcriber = new TranscriberService(() -> engine);
    }

    /** The gRPC services this role serves; StenoProcess adds them to the process's gRPC server. */
    List<BindableService> grpcServices() {
        List<BindableService> services = new ArrayList<>();
        services.add(transcriber);
        services.add(new org.steno.models.diarize.service.DiarizerService());
        return services;
    }

    @Override
    public String name() {
        return "models";
    }

    @Override
    public void start() {
        engine = new EmbeddedTranscriber(settings);
    }

    @Override
    public void stop() {
        EmbeddedTranscriber e = engine;
        engine = null;
        if (e != null) {
            e.close();
        }
    }

    @Override
    public Readiness readiness() {
        EmbeddedTranscriber e = engine;
        if (e == null) {
            return Readiness.notReady("not started");
        }
        if (!e.status().ready()) {
            return Readiness.notReady("speech recognition unavailable: " + e.status().detail());
        }
        var st = e.pool().stats();
        return Readiness.ready("transcriber " + EmbeddedTranscriber.MODEL_NAME + " ready (" + st.inUse() + "/"
                + e.pool().maxDecoders() + " decoders in use, " + st.idle() + " idle)");
    }
}
