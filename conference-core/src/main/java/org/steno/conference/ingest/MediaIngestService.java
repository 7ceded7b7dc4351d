package org.steno.conference.ingest;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.tap.MediaTaps;
import org.steno.proto.media.v1.IngestRequest;
import org.steno.proto.media.v1.IngestSummary;
import org.steno.proto.media.v1.MediaIngestGrpc;

/**
 * The MediaIngest gRPC service (steno/media/v1/media_ingest.proto): file-backed
 * participants whose audio enters the same taps the SFU feeds, so MediaTap, the recorder
 * and the pipeline treat them like people who spoke in the meeting.
 */
public final class MediaIngestService extends MediaIngestGrpc.MediaIngestImplBase implements AutoCloseable {

    private final MeetingRegistry registry;
    private final MediaTaps taps;
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "media-ingest-pacer");
        t.setDaemon(true);
        return t;
    });

    public MediaIngestService(MeetingRegistry registry, MediaTaps taps) {
        this.registry = registry;
        this.taps = taps;
    }

    @Override
    public StreamObserver<IngestRequest> ingest(StreamObserver<IngestSummary> response) {
        IngestStream s = new IngestStream(registry, taps, pacer, (ServerCallStreamObserver<IngestSummary>) response);
        s.begin();
        return s;
    }

    @Override
    public void close() {
        pacer.shutdownNow();
    }
}
