package org.steno.conference.media.mux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnePortBinderTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void portZeroIsPickedOnceAndGivesUpWithOneSentenceWhenAnAddressNeverTakesIt() throws Exception {
        // The same address twice: the second bind always finds the port taken, whatever port is picked.
        assertThatThrownBy(() -> OnePortBinder.bind(List.of(LOOPBACK, LOOPBACK), 0, new Counters()))
                .isInstanceOf(BindException.class)
                .hasMessageStartingWith("no free udp port could be bound on every media address 127.0.0.1, 127.0.0.1 in "
                        + OnePortBinder.EPHEMERAL_ATTEMPTS + " tries; the last: udp port ")
                .hasMessageEndingWith(" is already in use on 127.0.0.1");
    }

    @Test
    void aChosenPortTakenOnOneAddressIsReportedAtOnceAndNothingStaysBound() throws Exception {
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            int port = squatter.getLocalPort();
            assertThatThrownBy(() -> OnePortBinder.bind(List.of(LOOPBACK), port, new Counters()))
                    .isInstanceOf(BindException.class).hasMessage("udp port " + port + " is already in use on 127.0.0.1");
        }
    }

    @Test
    void everySocketSharesThePort() throws Exception {
        List<MediaSocket> sockets = OnePortBinder.bind(LocalAddresses.forBindHost("0.0.0.0"), 0, new Counters());
        try {
            assertThat(sockets).isNotEmpty();
            assertThat(sockets).extracting(MediaSocket::port).containsOnly(sockets.get(0).port());
        } finally {
            sockets.forEach(MediaSocket::close);
        }
    }
}
