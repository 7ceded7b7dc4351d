package org.steno.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.steno.conference.api.JoinTokens;
import org.steno.conference.media.MediaServer;
import org.steno.conference.media.MediaSettings;
import org.steno.conference.meeting.MeetingLimits;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.meeting.ParticipantRole;
import org.steno.conference.signaling.SfuGateway;
import org.steno.conference.signaling.SignalingHub;
import org.steno.conference.signaling.SignalingSender;
import org.steno.conference.signaling.SignalingSession;
import org.steno.conference.tap.MediaTaps;
import org.steno.conference.tap.TapSettings;
import org.steno.simulator.signal.Deployment;

/**
 * conference-core's real meetings, signaling and SFU (over real UDP on loopback) in this JVM, reached without HTTP,
 * for {@code steno bench sfu} and the simulator's own tests: join tokens are issued as the join route issues them,
 * and signaling messages go to a {@link SignalingSession} and back through two single-thread executors, so neither
 * side is re-entered, as over a WebSocket.
 */
public final class LocalConference implements Deployment, AutoCloseable {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private final MeetingRegistry registry = new MeetingRegistry(MeetingLimits.defaults());
    private final MediaServer media;
    private final MediaTaps taps = new MediaTaps(registry, TapSettings.defaults());
    private final JoinTokens tokens = new JoinTokens(KEY);
    private final SignalingHub hub;
    private final SfuGateway gateway;
    private final ExecutorService toServer = Executors.newSingleThreadExecutor();
    private final ExecutorService toClients = Executors.newSingleThreadExecutor();
    private int guests;

    public LocalConference() throws java.io.IOException {
        media = MediaServer.start(MediaSettings.of("127.0.0.1", 0, "127.0.0.1"));
        hub = new SignalingHub(registry, tokens, org.steno.conference.signaling.MediaGateway.NONE);
        gateway = new SfuGateway(media, registry, taps, hub);
        hub.setMedia(gateway);
    }

    /** A new meeting's id. */
    public String createMeeting(String title) {
        return registry.create(title).id();
    }

    /** The SFU's stage counters (packets in/out/dropped per stage). */
    public java.util.Map<String, Long> counters() {
        return media.counters();
    }

    /** The SFU's forwarding delay since the previous call. */
    public org.steno.conference.media.DelaySummary forwardingDelaySinceLastRead() {
        return media.forwardingDelaySinceLastRead();
    }

    @Override
    public synchronized String join(String meetingId, String displayName) {
        return tokens.issue(meetingId, "guest:" + (++guests), displayName, ParticipantRole.PARTICIPANT,
                Set.of("publish", "subscribe"));
    }

    @Override
    public SignalingLink connect(String meetingId, SignalingEvents events) {
        SignalingSession session = hub.open(meetingId, new SignalingSender() {
            @Override
            public void send(String json) {
                toClients.execute(() -> events.onMessage(json));
            }

            @Override
            public void close(int code, String reason) {
                toClients.execute(() -> events.onClosed(code, reason));
            }
        });
        return new SignalingLink() {
            @Override
            public void send(String json) {
                toServer.execute(() -> session.onText(json));
            }

            @Override
            public void close() {
                toServer.execute(session::onClose);
            }
        };
    }

    @Override
    public void close() {
        toServer.shutdown();
        try {
            toServer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        toClients.shutdownNow();
        gateway.close();
        media.close();
    }
}
