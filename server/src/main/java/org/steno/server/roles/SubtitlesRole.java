package org.steno.server.roles;

import io.grpc.BindableService;
import java.util.List;
import org.steno.server.http.HttpRoutes;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;
import org.steno.subtitles.fanout.CaptionFanout;
import org.steno.subtitles.ingest.CaptionIngestService;

/**
 * The subtitles role: CaptionIngest over gRPC (the pipeline publishes here) and the caption
 * WebSocket that fans captions out to each meeting's browsers.
 */
final class SubtitlesRole implements Component {

    private final CaptionFanout fanout = new CaptionFanout();
    private final CaptionIngestService ingest = new CaptionIngestService(fanout);
    private final CaptionSocketRoutes sockets;
    private volatile boolean started;

    SubtitlesRole() {
        this.sockets = new CaptionSocketRoutes(fanout);
    }

    List<BindableService> grpcServices() {
        return List.of(ingest);
    }

    HttpRoutes httpRoutes() {
        return sockets;
    }

    @Override
    public String name() {
        return "subtitles";
    }

    @Override
    public void start() {
        started = true;
    }

    @Override
    public void stop() {
        started = false;
    }

    @Override
    public Readiness readiness() {
        return started
                ? Readiness.ready("caption ingest serving; " + sockets.open() + " caption socket(s); "
                        + ingest.accepted() + " caption(s) accepted")
                : Readiness.notReady("not started");
    }
}
