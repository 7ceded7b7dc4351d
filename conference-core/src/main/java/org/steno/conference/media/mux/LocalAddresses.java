package org.steno.conference.media.mux;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The local addresses a media bind host stands for. A specific address is itself. A wildcard stands for every
 * address of every interface that is up — "0.0.0.0" for the IPv4 ones, "::" for IPv4 and IPv6 — each of which gets
 * its own socket (as Pion's and LiveKit's multi-address UDP mux do), so that replies leave from the address the
 * peer sent to. Link-local addresses are left out (as LiveKit does: they need a scope and rarely reach a browser);
 * loopback is kept, last, so a check sent to 127.0.0.1 is answered from 127.0.0.1.
 */
public final class LocalAddresses {

    private LocalAddresses() {
    }

    /**
     * The addresses to bind for {@code bindHost}: non-loopback IPv4, then non-loopback IPv6, then loopback.
     *
     * @throws SocketException when the host is unknown or a wildcard finds no address at all
     */
    public static List<InetAddress> forBindHost(String bindHost) throws SocketException {
        InetAddress bind;
        try {
            bind = InetAddress.getByName(bindHost);
        } catch (UnknownHostException e) {
            SocketException s = new SocketException("the media bind address " + bindHost + " is not known");
            s.initCause(e);
            throw s;
        }
        if (!bind.isAnyLocalAddress()) {
            return List.of(bind);
        }
        List<InetAddress> found = of(interfaceAddresses(), bind instanceof Inet6Address);
        if (found.isEmpty()) {
            throw new SocketException("no network interface has an address to bind the media port " + bindHost + " on");
        }
        return found;
    }

    /** Filters and orders {@code candidates} as described above (package-private for tests). */
    static List<InetAddress> of(List<InetAddress> candidates, boolean includeIpv6) {
        Set<InetAddress> kept = new LinkedHashSet<>();
        for (InetAddress a : candidates) {
            if (a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
                continue;
            }
            if (a instanceof Inet6Address && !includeIpv6) {
                continue;
            }
            kept.add(withoutScope(a));
        }
        List<InetAddress> ordered = new ArrayList<>(kept);
        ordered.sort(Comparator.comparingInt(LocalAddresses::rank)); // stable: interface order within a rank
        return ordered;
    }

    private static int rank(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return a instanceof Inet4Address ? 2 : 3;
        }
        return a instanceof Inet4Address ? 0 : 1;
    }

    /** Java tags interface IPv6 addresses with their interface; a non-link-local address does not need it. */
    private static InetAddress withoutScope(InetAddress a) {
        if (a instanceof Inet6Address v6 && (v6.getScopeId() != 0 || v6.getScopedInterface() != null)) {
            try {
                return InetAddress.getByAddress(v6.getAddress());
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // 16 bytes are always a valid address
            }
        }
        return a;
    }

    private static List<InetAddress> interfaceAddresses() throws SocketException {
        List<InetAddress> all = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nif.isUp()) {
                all.addAll(Collections.list(nif.getInetAddresses()));
            }
        }
        return all;
    }
}
