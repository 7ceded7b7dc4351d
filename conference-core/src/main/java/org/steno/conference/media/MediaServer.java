package org.steno.conference.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.steno.conference.media.sfu.SfuCore;
import org.steno.conference.media.sfu.SfuEndpoint;

/**
 * Steno's SFU media plane: ICE-lite, DTLS-SRTP and RTP/RTCP forwarding for every browser on one UDP port.
 * See conference-core/MEDIA_API.md for the contract. Thread-safe.
 *
 * <pre>{@code
 * MediaServer media = MediaServer.start("0.0.0.0", 10000, "");   // or "203.0.113.7" behind NAT
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
     * Binds the UDP port and starts the readers, workers and timers.
     *
     * @param bindHost          address to bind: a specific one, or "0.0.0.0" (every IPv4 address of the host) or
     *                          "::" (every IPv4 and IPv6 address), each with its own socket on the same port
     * @param port              UDP port (0: pick a free one, the same on every address, see {@link #port()})
     * @param advertisedAddress IP address written into the SDP host candidate (the public one behind NAT), or
     *                          empty to offer every bound address (loopback only when there is nothing else)
     * @throws java.net.BindException when the port is in use on one of the addresses (the message names it)
     */
    public static MediaServer start(String bindHost, int port, String advertisedAddress) throws IOException {
        return start(MediaSettings.of(bindHost, port, advertisedAddress));
    }

    /** Starts with full settings (top-N audio, consent timeout, worker count). */
    public static MediaServer start(MediaSettings settings) throws IOException {
        return new MediaServer(new SfuCore(settings));
    }

    /** The bound UDP port (the same on every local address). */
    public int port() {
        return core.port();
    }

    /** The addresses written into SDP host candidates, highest priority first. */
    public List<String> candidateAddresses() {
        return core.candidateAddresses();
    }

    /** The local addresses a media socket is bound to (one per address; a wildcard bind expands to several). */
    public List<InetSocketAddress> localAddresses() {
        return core.localAddresses();
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
     * @return the answer SDP (ICE-lite, DTLS passive, BUNDLE, a host candidate per {@link #candidateAddresses()}
     *         on {@link #port()})
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

    /**
     * Asks the publisher of a video track for a keyframe, within the SFU's limit of one request per
     * layer per 500 ms: a listener (the recorder) that must start a file on one. False when the
     * group has no such video track.
     */
    public boolean requestKeyframe(String groupId, String trackId) {
        return core.requestKeyframe(groupId, trackId);
    }

    /** The current dominant speaker of a group (participant id), or null. */
    public String dominantSpeaker(String groupId) {
        return core.dominantSpeaker(groupId);
    }

    /** Snapshot of every stage counter (packets in/out, drops by reason), sorted by name; serve as JSON. */
    public Map<String, Long> counters() {
        return core.counters().snapshot();
    }

    /**
     * How long forwarded packets spent in the SFU (socket read to the send to each subscriber) since the previous
     * call: one reader, such as a benchmark, owns these intervals.
     */
    public DelaySummary forwardingDelaySinceLastRead() {
        return core.forwardingDelaySinceLastRead();
    }

    /** Number of live endpoints. */
    public int endpointCount() {
        return core.endpoints().size();
    }

    /** Closes every endpoint ("server-stopped"), stops all threads and frees the UDP port on every address. Idempotent. */
    @Override
    public void close() {
        core.close();
    }
}
