package org.steno.server.roles;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import org.steno.server.config.Setting;
import org.steno.server.config.StenoConfig;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;
import org.steno.server.lifecycle.StartupException;

/**
 * Holds the SFU's single UDP media port, so a port conflict is found at start-up and named.
 * The SFU issue (#3) replaces this with the ICE-lite/DTLS-SRTP media plane on the same port.
 */
final class MediaPort implements Component {

    private final StenoConfig config;
    private volatile DatagramSocket socket;

    MediaPort(StenoConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "sfu";
    }

    @Override
    public void start() throws StartupException {
        try {
            socket = new DatagramSocket(new InetSocketAddress(config.httpHost(), config.mediaPort()));
        } catch (SocketException e) {
            throw StartupException.portInUse(Setting.MEDIA_PORT, config.httpHost(), config.mediaPort(), e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void stop() {
        DatagramSocket s = socket;
        socket = null;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public Readiness readiness() {
        DatagramSocket s = socket;
        return s == null ? Readiness.notReady("not started")
                : Readiness.ready("udp/" + s.getLocalPort() + " reserved; the media plane arrives with issue #3");
    }
}
