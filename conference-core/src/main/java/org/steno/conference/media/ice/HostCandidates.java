package org.steno.conference.media.ice;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Which addresses the SDP answer offers as ICE host candidates, and their priorities.
 *
 * <p>An advertised address (the public one behind NAT) replaces them all. Otherwise every bound address is a
 * candidate except loopback: RFC 8445 §5.1.1.1 says loopback addresses MUST NOT be candidates, LiveKit leaves them
 * out unless they are all there is, and a browser on this host reaches us on the host's other address anyway. A
 * host with nothing but loopback (a laptop offline, a bind to 127.0.0.1) advertises its loopback address.
 */
public final class HostCandidates {

    /** RFC 8445 §5.1.2.2: the type preference of host candidates. */
    private static final int HOST_TYPE_PREFERENCE = 126;

    private HostCandidates() {
    }

    /**
     * @param bound      the addresses our sockets are bound to, best first (see {@code LocalAddresses})
     * @param advertised the configured address, or blank for "the bound ones"
     */
    public static List<String> addresses(List<InetAddress> bound, String advertised) {
        if (advertised != null && !advertised.isBlank()) {
            return List.of(advertised.strip());
        }
        List<String> out = new ArrayList<>();
        List<String> loopback = new ArrayList<>();
        for (InetAddress a : bound) {
            (a.isLoopbackAddress() ? loopback : out).add(a.getHostAddress());
        }
        return out.isEmpty() ? loopback : out;
    }

    /**
     * RFC 8445 §5.1.2.1 for the {@code index}-th candidate of component 1: type preference 126, local preference
     * 65535 for the first and one less for each after it, so the browser prefers them in our order.
     */
    public static long priority(int index) {
        int localPreference = Math.max(0, 65535 - index);
        return ((long) HOST_TYPE_PREFERENCE << 24) | ((long) localPreference << 8) | (256 - 1);
    }
}
