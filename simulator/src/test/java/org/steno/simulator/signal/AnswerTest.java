package org.steno.simulator.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's answer as the load client reads it, and the clear errors when a part a browser needs is missing. */
class AnswerTest {

    static final String ANSWER = "v=0\r\no=steno 1 2 IN IP4 192.0.2.2\r\ns=-\r\nt=0 0\r\na=ice-lite\r\n"
            + "a=group:BUNDLE 0 1\r\na=msid-semantic: WMS *\r\n"
            + "m=audio 10000 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 192.0.2.2\r\na=mid:0\r\na=ice-ufrag:abcd\r\n"
            + "a=ice-pwd:0123456789abcdefghijklmn\r\na=fingerprint:sha-256 AA:BB\r\na=setup:passive\r\na=rtcp-mux\r\n"
            + "a=recvonly\r\na=rtpmap:111 opus/48000/2\r\n"
            + "a=candidate:1 1 udp 2130706431 192.0.2.2 10000 typ host\r\n"
            + "a=candidate:2 1 udp 2130706175 2001:db8::2 10000 typ host\r\na=end-of-candidates\r\n"
            + "m=audio 10000 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 192.0.2.2\r\na=mid:1\r\na=ice-ufrag:abcd\r\n"
            + "a=ice-pwd:0123456789abcdefghijklmn\r\na=fingerprint:sha-256 AA:BB\r\na=setup:passive\r\na=rtcp-mux\r\n"
            + "a=sendonly\r\na=rtpmap:111 opus/48000/2\r\na=msid:s a\r\na=ssrc:42 cname:steno\r\na=ssrc:42 msid:s a\r\n";

    @Test
    void readsCredentialsIpv4CandidatesAndTheSsrcOfEachReceiveSlot() {
        Answer a = Answer.parse(ANSWER);
        assertThat(a.iceUfrag()).isEqualTo("abcd");
        assertThat(a.icePwd()).isEqualTo("0123456789abcdefghijklmn");
        assertThat(a.fingerprint()).isEqualTo("AA:BB");
        assertThat(a.candidates()).isEqualTo(List.of(new InetSocketAddress("192.0.2.2", 10000)));
        assertThat(a.midBySsrc()).containsExactlyEntriesOf(java.util.Map.of(42L, "1"));
    }

    @Test
    void missingPartsAreNamed() {
        assertThatThrownBy(() -> Answer.parse(ANSWER.replaceAll("a=fingerprint:[^\r]*\r\n", "")))
                .hasMessage("the server's answer has no DTLS fingerprint");
        assertThatThrownBy(() -> Answer.parse(ANSWER.replaceAll("a=ice-pwd:[^\r]*\r\n", "")))
                .hasMessage("the server's answer has no ice-ufrag/ice-pwd");
        assertThatThrownBy(() -> Answer.parse(ANSWER.replaceAll("a=candidate:1[^\r]*\r\n", "")))
                .hasMessage("the server's answer has no IPv4 host candidate");
        assertThatThrownBy(() -> Answer.parse("<html>not sdp</html>"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("the server's answer is not valid SDP");
    }
}
