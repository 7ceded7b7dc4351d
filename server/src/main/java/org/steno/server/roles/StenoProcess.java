package org.steno.server.roles;

import io.grpc.BindableService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.steno.access.Access;
import org.steno.access.ServiceToken;
import org.steno.server.config.Setting;
import org.steno.server.config.StenoConfig;
import org.steno.server.grpc.GrpcServer;
import org.steno.server.http.HttpRoutes;
import org.steno.server.http.HttpServer;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Components;
import org.steno.server.lifecycle.Readiness;
import org.steno.server.lifecycle.StartupException;
import org.steno.server.net.Ports;
import org.steno.server.secrets.ServiceTokens;
import org.steno.server.storage.EmbeddedS3;
import org.steno.server.storage.S3Credentials;
import org.steno.server.storage.S3Storage;
import org.steno.server.storage.S3Target;

/**
 * One running Steno process: the components of its role, in start order. Storage first
 * (everything writes there), then the engines, then the network front doors last, so no
 * request arrives before what serves it is up; stopping runs the other way round.
 */
public final class StenoProcess implements AutoCloseable {

    private final Role role;
    private final StenoConfig config;
    private final Components components;
    private final List<Component> list;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private EmbeddedS3 embeddedS3;
    private S3Storage storage;
    private SfuRole sfu;
    private RecorderRole recorder;
    private ConferenceRole conference;
    private org.steno.server.identity.IdentityRole identity;
    private org.steno.server.archive.ArchiveRetentionRole archiveRetention;
    private final ServiceToken serviceToken;
    private final GrpcServer grpc;
    private final HttpServer http;

    public StenoProcess(Role role, StenoConfig config, Access access) {
        this.role = role;
        this.config = config;
        this.list = new ArrayList<>();
        try {
            this.serviceToken = ServiceTokens.forProcess(config);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read or create the service token in " + config.dataDir() + ": " + e.getMessage(), e);
        }
        // Roles add their gRPC services and HTTP routes here before the front doors are built.
        List<BindableService> grpcServices = new ArrayList<>();
        List<HttpRoutes> httpRoutes = new ArrayList<>();

        boolean needsStorage = role != Role.SFU && role != Role.MODELS;
        if (needsStorage) {
            if (config.embeddedS3() && (role == Role.UP || role == Role.SERVER)) {
                embeddedS3 = new EmbeddedS3(config);
                list.add(embeddedS3);
                EmbeddedS3 s3 = embeddedS3;
                storage = new S3Storage(s3::target);
            } else {
                storage = new S3Storage(() -> externalTarget(config));
            }
            list.add(storage);
        }
        // People sign in where meetings are created and joined; the other roles serve only machines.
        org.steno.server.http.MeetingDirectory owners = org.steno.server.http.MeetingDirectory.inMemory();
        org.steno.server.http.Authenticator authenticator = org.steno.server.http.Authenticator.NONE;
        org.steno.server.http.AuditSink auditSink = org.steno.server.http.AuditSink.NONE;
        if (role.runs(Role.SERVER) || role.runs(Role.SFU)) {
            identity = new org.steno.server.identity.IdentityRole(config, this::publicUrl, System.out, java.time.Clock.systemUTC());
            list.add(identity);
            owners = identity.meetingDirectory();
            authenticator = identity.authenticator();
            auditSink = identity.auditSink();
            httpRoutes.add(new org.steno.server.identity.AuthRoutes(identity));
            httpRoutes.add(new org.steno.server.identity.AccountRoutes(identity));
            httpRoutes.add(new org.steno.server.identity.AuditRoutes(identity));
        }
        // What the meetings run in this process still owe the archive; with no SFU here, nothing.
        org.steno.server.archive.MeetingOutputs outputs = role.runs(Role.SFU)
                ? new org.steno.server.archive.MeetingOutputs(java.time.Clock.systemUTC(),
                        m -> this.conference == null ? java.util.Optional.empty() : this.conference.registry().get(m))
                : org.steno.server.archive.MeetingOutputs.none();
        if (role.runs(Role.SERVER)) {
            S3Storage archive = storage;
            org.steno.server.identity.IdentityRole holder = identity;
            org.steno.server.archive.RetentionPolicies retention = new org.steno.server.archive.RetentionPolicies(
                    new org.steno.archive.retention.RetentionPolicy(config.retentionRecordings(), config.retentionTranscripts()),
                    holder::retentionSettings);
            httpRoutes.add(new org.steno.server.archive.ArchiveRoutes(() -> archive, new org.steno.server.archive.ArchiveRoutes.Retention(
                    retention, m -> holder.legalHolds().find(m),
                    (caller, m) -> access.check(caller, org.steno.access.Action.SET_RETENTION, org.steno.access.Resource.meeting(m)).allowed()),
                    (caller, m) -> access.check(caller, org.steno.access.Action.EXPORT_EVIDENCE,
                            org.steno.access.Resource.meeting(m)).allowed(), outputs));
            httpRoutes.add(new org.steno.server.archive.HoldRoutes(holder::legalHolds, auditSink, java.time.Clock.systemUTC()));
            httpRoutes.add(new org.steno.server.archive.RetentionRoutes(retention, holder::retentionSettings, auditSink,
                    java.time.Clock.systemUTC(), m -> holder.meetings().find(m).isPresent()));
            org.steno.archive.evidence.EvidenceExport evidence = new org.steno.archive.evidence.EvidenceExport(
                    () -> archive.client(), () -> archive.target().bucket(), org.steno.server.archive.TranscriptRenderings.INSTANCE);
            httpRoutes.add(new org.steno.server.archive.EvidenceRoutes(() -> evidence, m -> holder.meetings().find(m),
                    m -> holder.meetings().members(m), m -> holder.legalHolds().find(m), auditSink, java.time.Clock.systemUTC(),
                    new org.steno.server.archive.EvidenceRoutes.AuditTrail(
                            c -> access.check(c, org.steno.access.Action.READ_AUDIT, new org.steno.access.Resource("audit", "")).allowed(),
                            r -> holder.auditLog().aboutResource(r, org.steno.server.archive.EvidenceRoutes.AUDIT_LIMIT + 1))));
            archiveRetention = new org.steno.server.archive.ArchiveRetentionRole(() -> archive, m -> retention.of(m).policy(),
                    m -> holder.legalHolds().held(m), holder::auditLog, java.time.Clock.systemUTC());
            // The search index is derived from the bucket, so it lives beside the process's other local state.
            org.steno.server.archive.ArchiveSearchRole search =
                    new org.steno.server.archive.ArchiveSearchRole(config.dataDir().resolve("index"), () -> archive);
            list.add(search);
            list.add(archiveRetention);
            org.steno.server.identity.IdentityRole id = identity;
            org.steno.server.http.AuditSink searchAudit = auditSink;
            httpRoutes.add(new org.steno.server.archive.SearchRoutes(search::archive, id::meetingsOpenTo, searchAudit,
                    id::legalHolds, java.time.Clock.systemUTC()));
        }
        if (role.runs(Role.SFU)) {
            conference = new ConferenceRole(config, this::publicUrl);
            conference.registry().addListener(outputs);
            if (identity != null) {
                org.steno.server.identity.IdentityRole id = identity;
                conference.setCatalog(meetingId -> id.meetings().find(meetingId).map(org.steno.identity.StoredMeeting::title));
                conference.registry().addListener(id.presenceAudit());
                conference.registry().addListener(id.attendanceRecorder());
            }
            if (storage != null) {
                S3Storage chatStore = storage;
                ChatArchive chats = new ChatArchive(() -> chatStore);
                conference.setChatSink(chats);
            }
            list.add(conference);
            grpcServices.addAll(conference.grpcServices());
            ConferenceRole c = conference;
            httpRoutes.add(new org.steno.server.http.MeetingRoutes(c::api, c::hub, c::hostControls, owners,
                    () -> publicUrl().startsWith("https://")));
            org.steno.server.http.MeetingDirectory directory = owners;
            httpRoutes.add(new CaptionsRoutes(c::registry, m -> directory.defaults(m).captionsLanguage()));
            sfu = new SfuRole(config, conference);
            list.add(sfu);
        }
        if (role.runs(Role.MODELS)) {
            if (config.modelsEngine() == StenoConfig.ModelsEngine.GRPC) {
                RemoteModelsRole models = new RemoteModelsRole(config);
                list.add(models);
                grpcServices.addAll(models.grpcServices());
            } else if (config.modelsEngine() == StenoConfig.ModelsEngine.KYUTAI) {
                KyutaiModelsRole models = new KyutaiModelsRole(config);
                list.add(models);
                grpcServices.addAll(models.grpcServices());
            } else {
                ModelsRole models = new ModelsRole(org.steno.models.transcriber.TranscriberSettings.defaults());
                list.add(models);
                grpcServices.addAll(models.grpcServices());
            }
        }
        if (role.runs(Role.RECORDER)) {
            S3Storage recorderStore = storage;
            recorder = new RecorderRole(config, () -> recorderStore, org.steno.recorder.RecorderSettings.defaults());
            list.add(recorder);
            RecorderRole r = recorder;
            httpRoutes.add(new RecordingRoutes(r::control));
            if (conference != null) {
                org.steno.server.http.MeetingDirectory directory = owners;
                list.add(new RecordingWiring(conference, sfu, recorder, m -> directory.defaults(m).recordOnStart()));
            }
            if (config.finalPass()) {
                org.steno.server.archive.MeetingOutputs owed = outputs;
                FinalPassRole finalPass = new FinalPassRole(config.batchWhisperX(), () -> recorderStore, owed::liveTranscriptSince,
                        java.time.Clock.systemUTC());
                list.add(finalPass);
                recorder.listen(finalPass);
            }
        }
        if (role.runs(Role.PIPELINE)) {
            S3Storage store = storage;
            list.add(new PipelineRole(this::grpcPort, serviceToken, store::target, config.dataDir().resolve("flink-checkpoints")));
        }
        if (role.runs(Role.SUBTITLES)) {
            SubtitlesRole subtitles = new SubtitlesRole();
            list.add(subtitles);
            grpcServices.addAll(subtitles.grpcServices());
            httpRoutes.add(subtitles.httpRoutes());
        }
        grpc = new GrpcServer(config, access, serviceToken, grpcServices);
        list.add(grpc);
        org.steno.server.http.HttpGuard guard = new org.steno.server.http.HttpGuard(access, new org.steno.server.http.RouteTable(),
                authenticator, owners, auditSink, org.steno.server.http.RateLimits.defaults(),
                new org.steno.server.http.ClientAddress(config.identity().trustedProxies()));
        http = new HttpServer(config, this::readiness, guard, metrics, httpRoutes);
        if (sfu != null) {
            SfuRole media = sfu;
            http.serveStageCounters(() -> media.mediaServerOrNull() == null ? Map.of() : media.mediaServerOrNull().counters());
        }
        list.add(http);
        components = new Components(list);

        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        gcMetrics.bindTo(metrics);
        for (Component c : list) {
            Gauge.builder("steno_component_ready", c, x -> safeReady(x) ? 1 : 0)
                    .tag("component", c.name())
                    .description("1 when the component reports ready")
                    .register(metrics);
        }
    }

    /**
     * Where a role without its own store finds S3: the configured endpoint, or the embedded
     * store of a {@code steno server} on this host (same data directory, same credentials).
     */
    public static S3Target externalTarget(StenoConfig config) {
        if (!config.embeddedS3()) {
            return new S3Target(config.s3Endpoint(), config.s3Region(), config.s3AccessKey(), config.s3SecretKey(), config.s3Bucket());
        }
        try {
            S3Credentials c = config.s3AccessKey().isEmpty()
                    ? S3Credentials.loadOrCreate(config.dataDir())
                    : new S3Credentials(config.s3AccessKey(), config.s3SecretKey());
            return new S3Target(URI.create("http://127.0.0.1:" + config.s3Port()), config.s3Region(),
                    c.accessKey(), c.secretKey(), config.s3Bucket());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read S3 credentials from " + config.dataDir() + ": " + e.getMessage(), e);
        }
    }

    private static boolean safeReady(Component c) {
        try {
            return c.readiness().ready();
        } catch (RuntimeException e) {
            return false;
        }
    }

    public void start() throws Exception {
        checkPortsFree();
        components.start();
    }

    /**
     * Refuses a port in use before anything starts, so the answer is the same one sentence
     * naming the setting however slow the components before it would have been to start.
     */
    private void checkPortsFree() throws StartupException {
        Ports.requireFreeTcp(Setting.HTTP_PORT, config.httpHost(), config.httpPort());
        Ports.requireFreeTcp(Setting.GRPC_PORT, config.grpcHost(), config.grpcPort());
        if (embeddedS3 != null) {
            Ports.requireFreeTcp(Setting.S3_PORT, config.s3Host(), config.s3Port());
        }
        if (sfu != null) {
            Ports.requireFreeUdp(Setting.MEDIA_PORT, config.httpHost(), config.mediaPort());
        }
    }

    @Override
    public void close() {
        components.close();
        gcMetrics.close();
        metrics.close();
    }

    /** The token this process's internal gRPC services accept (tools of this host present the same). */
    public List<io.grpc.ServerServiceDefinition> grpcServed() {
        return grpc.served();
    }

    /** The daily retention job, or null when this role serves no archive. */
    public org.steno.server.archive.ArchiveRetentionRole archiveRetention() {
        return archiveRetention;
    }

    /** Accounts, sessions and the audit log, or null when this role serves no people. */
    public org.steno.server.identity.IdentityRole identity() {
        return identity;
    }

    /** Every HTTP route this process declares, with its action: what the role × action matrix test walks. */
    public org.steno.server.http.RouteTable routes() {
        return http.routes();
    }

    public ServiceToken serviceToken() {
        return serviceToken;
    }

    public Role role() {
        return role;
    }

    public StenoConfig config() {
        return config;
    }

    public int httpPort() {
        return http.port();
    }

    public int grpcPort() {
        return grpc.port();
    }

    /** The UDP media port, or -1 when this role has no media plane. */
    public int mediaPort() {
        return sfu == null ? -1 : sfu.port();
    }

    /** Meetings, taps and signaling, or null when this role runs no SFU. */
    public ConferenceRole conference() {
        return conference;
    }

    /** Where this process's storage is, or null when its role uses none. */
    public S3Target storageTarget() {
        return storage == null ? null : storage.target();
    }

    public List<String> componentNames() {
        return components.names();
    }

    public java.util.Map<String, Readiness> readiness() {
        return components.readiness();
    }

    public String publicUrl() {
        return config.publicUrl(httpPort());
    }
}
