package org.steno.conference.media;

import java.io.IOException;
import java.util.Map;
import org.steno.conference.media.sfu.SfuCore;
import org.steno.conference.media.sfu.SfuEndpoint;

/**
 * Steno's SFU media plane: ICE-lite, DTLS-SRTP and RTP/RTCP forwarding for every browser on one UDP port.
 * See conference-core/MEDIA_API.md for the contract. Thread-safe.
 *
 * <pre>{@code
 * MediaServer media = MediaServer.start("0.0.0.0", 10000, "203.0.113.7");
 * Endpoint ep = media.createEndpoint(meetingId, participantId);
 * String answer = media.answer(ep, offerSdp);   // the browser always offers, also to renegotiate
 * ...
 * ep.close();
 * media.close();                                 // frees the port
 * }</pre>
 */
public final class MediaServer implements AutoCloseable {

    private final SfuCore core;

    private MediaServer(SfuCore core) {
        this.core = core;
    }

    /**
     * Binds the UDP port and starts the reader, workers and timers.
     *
     * @param bindHost          address to bind ("0.0.0.0" for all interfaces)
     * @param port              UDP port (0: pick a free one, see {@link #port()})
     * @param advertisedAddress IP address written into the SDP host candidate (the public one behind NAT)
     * @throws java.net.BindException when the port is in use
     */
    public static MediaServer start(String bindHost, int port, String advertisedAddress) throws IOException {
        return start(MediaSettings.of(bindHost, port, advertisedAddress));
    }

    /** Starts with full settings (top-N audio, consent timeout, worker count). */
    public static MediaServer start(MediaSettings settings) throws IOException {
        return new MediaServer(new SfuCore(settings));
    }

    /** The bound UDP port. */
    public int port() {
        return core.port();
    }

    /** The address written into SDP candidates. */
    public String advertisedAddress() {
        return core.advertisedAddress();
    }

    /**
     * Creates the endpoint for one browser peer connection. Endpoints sharing {@code groupId} (the meeting) receive
     * each other's tracks.
     *
     * @throws IllegalArgumentException if an id is blank
     * @throws IllegalStateException    after {@link #close()}
     */
    public Endpoint createEndpoint(String groupId, String participantId) {
        return core.createEndpoint(groupId, participantId);
    }

    /**
     * Answers a browser's offer (the first one or a renegotiation) for {@code endpoint}.
     *
     * @return the answer SDP (ICE-lite, DTLS passive, BUNDLE, one host candidate on {@link #port()})
     * @throws InvalidSdpException with a one-sentence reason safe to show the client
     */
    public String answer(Endpoint endpoint, String offerSdp) throws InvalidSdpException {
        if (!(endpoint instanceof SfuEndpoint e)) {
            throw new IllegalArgumentException("not an endpoint of this server");
        }
        return core.answer(e, offerSdp);
    }

    public void addListener(MediaListener listener) {
        core.addListener(listener);
    }

    public void removeListener(MediaListener listener) {
        core.removeListener(listener);
    }

    /** The current dominant speaker of a group (participant id), or null. */
    public String dominantSpeaker(String groupId) {
        return core.dominantSpeaker(groupId);
    }

    /** Snapshot of every stage counter (packets in/out, drops by reason), sorted by name; serve as JSON. */
    public Map<String, Long> counters() {
        return core.counters().snapshot();
    }

    /** Number of live endpoints. */
    public int endpointCount() {
        return core.endpoints().size();
    }

    /** Closes every endpoint ("server-stopped"), stops all threads and frees the UDP port. Idempotent. */
    @Override
    public void close() {
        core.close();
    }
}
