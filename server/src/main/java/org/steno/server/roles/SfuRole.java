package org.steno.server.roles;

import java.io.IOException;
import java.net.BindException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.media.MediaPortInUseException;
import org.steno.conference.media.MediaServer;
import org.steno.server.config.Setting;
import org.steno.server.config.StenoConfig;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;
import org.steno.server.lifecycle.StartupException;

/**
 * The SFU media plane on the one UDP media port ({@code media.port}), joined to meetings and
 * signaling through {@link ConferenceRole#attachMediaServer}. It binds {@code http.host}: a
 * specific address alone, or for the default wildcard a socket on every address of the host, so
 * replies leave from the address the browser sent to. ICE candidates name
 * {@code media.advertised-address} when set (NAT), else every bound address but loopback
 * (loopback when it is all there is).
 */
final class SfuRole implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(SfuRole.class);

    private final StenoConfig config;
    private final ConferenceRole conference;
    private volatile MediaServer media;

    SfuRole(StenoConfig config, ConferenceRole conference) {
        this.config = config;
        this.conference = conference;
    }

    @Override
    public String name() {
        return "sfu";
    }

    @Override
    public void start() throws Exception {
        MediaServer m;
        try {
            m = MediaServer.start(config.httpHost(), config.mediaPort(), config.mediaAdvertisedAddress().strip());
        } catch (MediaPortInUseException e) {
            // A wildcard bind is one socket per address: name the one that could not take the port.
            throw StartupException.portInUse(Setting.MEDIA_PORT, e.address().getAddress().getHostAddress(),
                    e.address().getPort(), e);
        } catch (BindException e) { // port 0, and no free port was common to every address
            throw new StartupException(Setting.MEDIA_PORT.label() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StartupException(Setting.MEDIA_PORT.label() + ": the media port cannot be opened on "
                    + config.httpHost() + ": " + e.getMessage(), e);
        }
        media = m;
        conference.attachMediaServer(m);
        LOG.info("media plane on udp/{} bound to {}, candidates advertise {}", m.port(), hosts(m), m.candidateAddresses());
    }

    private static List<String> hosts(MediaServer m) {
        return m.localAddresses().stream().map(a -> a.getAddress().getHostAddress()).toList();
    }

    /** The running media server; only valid after {@link #start()}. */
    MediaServer mediaServer() {
        MediaServer m = media;
        if (m == null) {
            throw new IllegalStateException("the media plane is not started");
        }
        return m;
    }

    MediaServer mediaServerOrNull() {
        return media;
    }

    /** The bound UDP port. */
    int port() {
        MediaServer m = media;
        if (m == null) {
            throw new IllegalStateException("the media plane is not started");
        }
        return m.port();
    }

    @Override
    public void stop() {
        MediaServer m = media;
        media = null;
        if (m != null) {
            m.close();
        }
    }

    @Override
    public Readiness readiness() {
        MediaServer m = media;
        return m == null ? Readiness.notReady("not started")
                : Readiness.ready("udp/" + m.port() + ", advertising " + String.join(" ", m.candidateAddresses())
                        + ", " + m.endpointCount() + " endpoint(s)");
    }
}
