package org.steno.server.net;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.steno.server.config.Setting;
import org.steno.server.lifecycle.StartupException;

/** Port checks that turn a bind failure into a sentence naming the setting to change. */
public final class Ports {

    private Ports() {
    }

    /** Throws if {@code port} on {@code host} cannot be bound now. Port 0 is always free. */
    public static void requireFreeTcp(Setting setting, String host, int port) throws StartupException {
        if (port == 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw StartupException.portInUse(setting, host, port, e);
        }
    }

    /** Throws if the UDP {@code port} on {@code host} cannot be bound now. Port 0 is always free. */
    public static void requireFreeUdp(Setting setting, String host, int port) throws StartupException {
        if (port == 0) {
            return;
        }
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(host, port))) {
            // bound and released: free
        } catch (IOException e) {
            throw StartupException.portInUse(setting, host, port, e);
        }
    }

    /** True when {@code t} or one of its causes is a failure to bind a socket. */
    public static boolean isBindFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BindException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /** True when nothing listens on the TCP port (used by tests and shutdown checks). */
    public static boolean tcpFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean udpFree(String host, int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(host, port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
