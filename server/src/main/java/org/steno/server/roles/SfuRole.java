package org.steno.server.roles;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.media.MediaServer;
import org.steno.server.config.Setting;
import org.steno.server.config.StenoConfig;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;
import org.steno.server.lifecycle.StartupException;

/**
 * The SFU media plane on the one UDP media port ({@code media.port}), joined to meetings and
 * signaling through {@link ConferenceRole#attachMediaServer}. The address put in ICE
 * candidates is {@code media.advertised-address}, else the bind address when it is a
 * specific one, else the host's first site-local IPv4 address.
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
        String advertised = advertisedAddress(config);
        MediaServer m;
        try {
            m = MediaServer.start(config.httpHost(), config.mediaPort(), advertised);
        } catch (IOException e) {
            throw StartupException.portInUse(Setting.MEDIA_PORT, config.httpHost(), config.mediaPort(), e);
        }
        media = m;
        conference.attachMediaServer(m);
        LOG.info("media plane on udp/{}, candidates advertise {}", m.port(), advertised);
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
                : Readiness.ready("udp/" + m.port() + ", advertising " + m.advertisedAddress() + ", " + m.endpointCount() + " endpoint(s)");
    }

    static String advertisedAddress(StenoConfig config) {
        if (!config.mediaAdvertisedAddress().isBlank()) {
            return config.mediaAdvertisedAddress().strip();
        }
        String bind = config.httpHost();
        if (!bind.equals("0.0.0.0") && !bind.equals("::") && !bind.isBlank()) {
            return bind;
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && a.isSiteLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            LOG.warn("cannot list network interfaces; advertising 127.0.0.1: {}", e.getMessage());
        }
        return "127.0.0.1";
    }
}
