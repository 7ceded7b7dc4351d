package org.steno.conference.media.mux;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalAddressesTest {

    private static List<InetAddress> addresses(String... names) throws Exception {
        List<InetAddress> l = new ArrayList<>();
        for (String n : names) {
            l.add(InetAddress.getByName(n));
        }
        return l;
    }

    private static List<String> names(List<InetAddress> l) {
        return l.stream().map(InetAddress::getHostAddress).toList();
    }

    @Test
    void anIpv4WildcardKeepsIpv4LoopbackLastAndDropsLinkLocal() throws Exception {
        List<InetAddress> got = LocalAddresses.of(addresses("127.0.0.1", "::1", "192.0.2.2", "fd00::2",
                "169.254.3.4", "fe80::1", "10.0.0.5", "192.0.2.2"), false);
        assertThat(names(got)).containsExactly("192.0.2.2", "10.0.0.5", "127.0.0.1");
    }

    @Test
    void anIpv6WildcardKeepsBothFamiliesIpv4First() throws Exception {
        List<InetAddress> got = LocalAddresses.of(addresses("127.0.0.1", "::1", "fd00::2", "192.0.2.2", "fe80::1"),
                true);
        assertThat(names(got)).containsExactly("192.0.2.2", "fd00:0:0:0:0:0:0:2", "127.0.0.1", "0:0:0:0:0:0:0:1");
    }

    @Test
    void aSpecificAddressIsItselfAndTheWildcardFindsLoopbackAtLeast() throws Exception {
        assertThat(names(LocalAddresses.forBindHost("127.0.0.1"))).containsExactly("127.0.0.1");
        assertThat(names(LocalAddresses.forBindHost("0.0.0.0"))).contains("127.0.0.1")
                .allSatisfy(a -> assertThat(a).doesNotContain(":"));
    }
}
