package org.steno.server.roles;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.access.ServiceToken;
import org.steno.pipeline.EmbeddedPipeline;
import org.steno.pipeline.PipelineOptions;
import org.steno.pipeline.sink.S3Settings;
import org.steno.proto.media.v1.ListMeetingsRequest;
import org.steno.proto.media.v1.MediaTapGrpc;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;
import org.steno.server.storage.S3Target;

/**
 * The pipeline role: the Flink speech job on a MiniCluster in this JVM, pointed at this
 * process's own gRPC port for MediaTap, Transcriber and CaptionIngest. It starts lazily: a
 * watcher checks every 2 s that those services are served and whether a meeting has
 * captions on, and only then starts the cluster (≈3 s) and submits the job, which then
 * stays up for every later meeting. So {@code steno up} starts and stops as fast as before,
 * and readiness says plainly what the pipeline is waiting for.
 */
final class PipelineRole implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineRole.class);
    static final String[] NEEDED = {"steno.media.v1.MediaTap", "steno.speech.v1.Transcriber", "steno.captions.v1.CaptionIngest"};

    private final IntSupplier grpcPort;
    private final ServiceToken serviceToken;
    private final java.nio.file.Path checkpointDir;
    private final Supplier<S3Target> storage;
    private final EmbeddedPipeline pipeline = new EmbeddedPipeline();
    private volatile ScheduledExecutorService watcher;
    private volatile ManagedChannel channel;
    private volatile String waitingFor = "not checked yet";
    private volatile String startFailure;
    private volatile boolean starting;

    /**
     * @param grpcPort this process's gRPC port, read once it is bound
     * @param storage  where transcripts go, read when the job starts
     * @param checkpointDir where the job's checkpoints go (under the data directory)
     */
    PipelineRole(IntSupplier grpcPort, ServiceToken serviceToken, Supplier<S3Target> storage, java.nio.file.Path checkpointDir) {
        this.grpcPort = grpcPort;
        this.serviceToken = serviceToken;
        this.storage = storage;
        this.checkpointDir = checkpointDir;
    }

    @Override
    public String name() {
        return "pipeline";
    }

    @Override
    public void start() {
        ScheduledExecutorService w = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pipeline-watch");
            t.setDaemon(true);
            return t;
        });
        watcher = w;
        // The gRPC server starts after this component; the first check waits a moment for it.
        w.scheduleWithFixedDelay(this::check, 200, 2000, TimeUnit.MILLISECONDS);
    }

    /** Checks that the services the job needs are served here; returns the channel to them, or null. */
    private synchronized ManagedChannel probeServices() {
        int port;
        try {
            port = grpcPort.getAsInt();
        } catch (IllegalStateException e) {
            waitingFor = "this process's gRPC server to start";
            return null;
        }
        ManagedChannel ch = channel;
        if (ch == null) {
            ch = serviceToken.applyTo(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()).build();
            channel = ch;
        }
        List<String> missing = new ArrayList<>();
        for (String service : NEEDED) {
            if (!serving(ch, service)) {
                missing.add(service);
            }
        }
        if (!missing.isEmpty()) {
            waitingFor = String.join(", ", missing) + " not served on 127.0.0.1:" + port + " yet; checking every 2 s";
            return null;
        }
        waitingFor = null;
        return ch;
    }

    private void check() {
        try {
            if (pipeline.started()) {
                return;
            }
            ManagedChannel ch = probeServices();
            if (ch == null) {
                return;
            }
            int port = grpcPort.getAsInt();
            boolean captionsOn = MediaTapGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .listMeetings(ListMeetingsRequest.getDefaultInstance()).getMeetingsList().stream()
                    .anyMatch(m -> m.getCaptionsEnabled());
            if (captionsOn) {
                startJob(port);
            }
        } catch (StatusRuntimeException e) {
            waitingFor = "MediaTap on this process answered " + e.getStatus().getCode() + "; checking every 2 s";
        } catch (RuntimeException e) {
            LOG.warn("pipeline watch failed: {}", e.toString());
        }
    }

    private static boolean serving(ManagedChannel ch, String service) {
        try {
            return HealthGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build())
                    .getStatus() == HealthCheckResponse.ServingStatus.SERVING;
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    private void startJob(int port) {
        S3Target t = storage.get();
        String self = "127.0.0.1:" + port;
        PipelineOptions o = PipelineOptions.of(self, self, self,
                new S3Settings(t.endpoint().toString(), t.region(), t.accessKey(), t.secretKey(), t.bucket()))
                .withParallelism(2)
                .withCheckpointDir(checkpointDir.toAbsolutePath().toUri().toString())
                .withServiceToken(serviceToken);
        starting = true;
        try {
            LOG.info("a meeting turned captions on: starting the embedded Flink pipeline");
            pipeline.start(o);
            startFailure = null;
        } catch (Exception e) {
            startFailure = e.toString();
            LOG.error("the embedded Flink pipeline failed to start; retrying", e);
        } finally {
            starting = false;
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService w = watcher;
        watcher = null;
        if (w != null) {
            w.shutdownNow();
            try {
                w.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pipeline.close();
        ManagedChannel ch = channel;
        channel = null;
        if (ch != null) {
            ch.shutdownNow();
        }
    }

    @Override
    public Readiness readiness() {
        if (watcher == null) {
            return Readiness.notReady("not started");
        }
        if (startFailure != null) {
            return Readiness.notReady("the embedded Flink job failed to start (" + startFailure + "); retrying every 2 s");
        }
        if (starting) {
            return Readiness.notReady("a meeting turned captions on: starting the embedded Flink MiniCluster");
        }
        if (!pipeline.started()) {
            if (waitingFor != null) {
                probeServices(); // answer with the state of now, not of the last 2 s tick
            }
            String w = waitingFor;
            return w == null
                    ? Readiness.ready("idle: the Flink job starts on the embedded MiniCluster when a meeting turns captions on")
                    : Readiness.notReady("waiting for " + w);
        }
        JobStatus s = pipeline.status();
        if (s == JobStatus.RUNNING) {
            return Readiness.ready("Flink job " + pipeline.jobId() + " RUNNING on the embedded MiniCluster");
        }
        return Readiness.notReady("Flink job " + pipeline.jobId() + " is " + (s == null ? "not answering" : s));
    }
}
