package org.steno.server.roles;

import io.grpc.BindableService;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.api.JoinTokens;
import org.steno.conference.api.MeetingApi;
import org.steno.conference.ingest.MediaIngestService;
import org.steno.conference.mediatap.MediaTapService;
import org.steno.conference.meeting.EndReason;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingListener;
import org.steno.conference.lobby.Lobby;
import org.steno.conference.meeting.MeetingLimits;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.media.MediaServer;
import org.steno.conference.signaling.MediaGateway;
import org.steno.conference.signaling.HostControls;
import org.steno.conference.signaling.SfuGateway;
import org.steno.conference.signaling.SignalingHub;
import org.steno.conference.tap.MediaTaps;
import org.steno.conference.tap.TapSettings;
import org.steno.server.config.StenoConfig;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;

/**
 * The meetings side of the SFU role: the one meeting registry, the taps, signaling, the
 * meetings REST API and the MediaTap/MediaIngest gRPC services. The media plane (component
 * "sfu") plugs in through {@link #setMedia}.
 */
public final class ConferenceRole implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(ConferenceRole.class);

    private final StenoConfig config;
    private final Supplier<String> publicUrl;
    private final MeetingRegistry registry;
    private final MediaTaps taps;
    private final MediaTapService tapService;
    private final MediaIngestService ingestService;
    private volatile MeetingApi api;
    private volatile HostControls hostControls;
    private volatile SignalingHub hub;
    private volatile MediaGateway media = MediaGateway.NONE;
    private volatile ScheduledExecutorService janitor;
    private volatile SfuGateway gateway;
    private volatile org.steno.conference.api.MeetingCatalog catalog = org.steno.conference.api.MeetingCatalog.NONE;
    /** Where a meeting's chat goes when it ends (the bucket, when this process has one). */
    private volatile ChatSink chatSink = (id, chat) -> { };

    /** Takes a meeting's chat when it ends; must not block (the meeting's lock is held). */
    public interface ChatSink {
        void store(String meetingId, org.steno.conference.chat.ChatLog.Ended chat);

        /** Waits for what is being stored (at shutdown, after the last meetings ended). */
        default void close() {
        }
    }

    /** @param publicUrl base URL of join links, read when a meeting is created (the port may be 0 until start) */
    public ConferenceRole(StenoConfig config, Supplier<String> publicUrl) {
        this.config = config;
        this.publicUrl = publicUrl;
        MeetingLimits d = MeetingLimits.defaults();
        this.registry = new MeetingRegistry(new MeetingLimits(d.maxMeetings(), d.maxParticipantsPerMeeting(),
                d.maxTracksPerParticipant(), config.meetings().endAfterEmpty()));
        this.taps = new MediaTaps(registry, TapSettings.defaults());
        this.tapService = new MediaTapService(registry, taps);
        this.ingestService = new MediaIngestService(registry, taps);
    }

    @Override
    public String name() {
        return "meetings";
    }

    @Override
    public void start() throws Exception {
        JoinTokens tokens = new JoinTokens(JoinTokenKey.loadOrCreate(config.dataDir()));
        // The lobby tells the hub (built next) when its waiting list changes; the hub shows it to hosts.
        java.util.concurrent.atomic.AtomicReference<SignalingHub> hubRef = new java.util.concurrent.atomic.AtomicReference<>();
        Lobby lobby = new Lobby(java.time.Clock.systemUTC(), config.meetings().lobbyTimeout(), (meetingId, waiting) -> {
            SignalingHub h = hubRef.get();
            if (h != null) {
                h.lobbyChanged(meetingId, waiting);
            }
        });
        MeetingApi a = new MeetingApi(registry, tokens, () -> stripSlash(publicUrl.get()), catalog, lobby);
        registry.addListener(new MeetingListener() {
            @Override
            public void meetingEnded(Meeting meeting, EndReason reason) {
                a.meetingEnded(meeting.id());
                SignalingHub h = hubRef.get();
                if (h != null) {
                    chatSink.store(meeting.id(), h.chat().end(meeting.id()));
                }
            }
        });
        hub = new SignalingHub(registry, tokens, media);
        hub.setLobby(lobby);
        hubRef.set(hub);
        hostControls = new HostControls(hub, lobby);
        api = a;
        taps.start();
        janitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meeting-janitor");
            t.setDaemon(true);
            return t;
        });
        janitor.scheduleWithFixedDelay(() -> {
            try {
                int n = registry.endIdleMeetings();
                if (n > 0) {
                    LOG.info("ended {} meeting(s) empty for {}", n, registry.emptyTimeout());
                }
            } catch (RuntimeException e) {
                LOG.warn("idle-meeting sweep failed", e);
            }
        }, 30, 30, TimeUnit.SECONDS);
        janitor.scheduleWithFixedDelay(() -> {
            try {
                lobby.sweep(); // time-outs reach the hosts' lists without anyone asking
            } catch (RuntimeException e) {
                LOG.warn("lobby sweep failed", e);
            }
        }, 5, 5, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService j = janitor;
        janitor = null;
        if (j != null) {
            j.shutdownNow();
        }
        SfuGateway g = gateway;
        gateway = null;
        if (g != null) {
            g.close();
        }
        media = MediaGateway.NONE;
        registry.endAll(EndReason.SERVER_SHUTDOWN);
        chatSink.close();
        taps.close();
        tapService.close();
        ingestService.close();
    }

    @Override
    public Readiness readiness() {
        if (api == null) {
            return Readiness.notReady("not started");
        }
        return Readiness.ready(registry.size() + " active meeting(s), " + tapService.openStreams() + " MediaTap stream(s)");
    }

    /** Meetings kept in the database, reopened when their link is used after they ended; set before start. */
    public void setCatalog(org.steno.conference.api.MeetingCatalog catalog) {
        this.catalog = catalog;
    }

    /** Where each meeting's chat is stored when it ends; set before start. */
    public void setChatSink(ChatSink sink) {
        this.chatSink = sink;
    }

    /** Plugs in the media plane (the SFU component calls this once it runs). */
    public void setMedia(MediaGateway gateway) {
        this.media = gateway;
        SignalingHub h = hub;
        if (h != null) {
            h.setMedia(gateway);
        }
    }

    /**
     * Connects the running media plane to meetings and signaling; the SFU component calls it
     * after {@code MediaServer.start} (this component starts first). Returns the adapter.
     */
    public SfuGateway attachMediaServer(MediaServer server) {
        SignalingHub h = hub;
        if (h == null) {
            throw new IllegalStateException("meetings must start before the media plane is attached");
        }
        SfuGateway g = new SfuGateway(server, registry, taps, h);
        gateway = g;
        setMedia(g);
        return g;
    }

    public List<BindableService> grpcServices() {
        return List.of(tapService, ingestService);
    }

    public MeetingRegistry registry() {
        return registry;
    }

    public MediaTaps taps() {
        return taps;
    }

    /** The REST API; null before start. */
    public MeetingApi api() {
        return api;
    }

    /** What hosts do to others in a live meeting; null before start. */
    public HostControls hostControls() {
        return hostControls;
    }

    /** Signaling; null before start. */
    public SignalingHub hub() {
        return hub;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
