package org.steno.conference.media.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The test vectors of RFC 5769 (short-term credential: password "VOkJxbRl1RmTxUk/WvJxBt"). */
class StunRfc5769Test {

    static final byte[] PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);
    static final byte[] TX = HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae");

    /** §2.1 Sample Request. */
    static final String REQUEST = "000100582112a442b7e7a701bc34d686fa87dfae"
            + "802200105354554e20746573742063"+ "6c69656e74"
            + "002400046e0001ff"
            + "80290008932ff9b151263b36"
            + "000600096576746a3a68367659202020"
            + "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
            + "80280004e57a3bcf";

    /** §2.2 Sample IPv4 Response. */
    static final String RESPONSE_V4 = "0101003c2112a442b7e7a701bc34d686fa87dfae"
            + "8022000b7465737420766563746f7220"
            + "002000080001a147e112a643"
            + "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
            + "80280004c07d4c96";

    @Test
    void section2_1_sampleRequestVerifies() throws Exception {
        byte[] b = HexFormat.of().parseHex(REQUEST);
        StunMessage m = StunMessage.parse(b, 0, b.length);
        assertThat(m.type()).isEqualTo(StunMessage.BINDING_REQUEST);
        assertThat(m.username()).isEqualTo("evtj:h6vY");
        assertThat(m.string(StunMessage.ATTR_SOFTWARE)).isEqualTo("STUN test client");
        assertThat(m.u32(StunMessage.ATTR_PRIORITY)).isEqualTo(0x6e0001ffL);
        assertThat(m.checkFingerprint()).isTrue();
        assertThat(m.checkIntegrity(PASSWORD)).isTrue();
        assertThat(m.checkIntegrity("wrong".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void section2_1_sampleRequestIsRebuiltByteForByte() {
        byte[] built = new StunBuilder(StunMessage.BINDING_REQUEST, TX).padWith((byte) 0x20)
                .string(StunMessage.ATTR_SOFTWARE, "STUN test client")
                .u32(StunMessage.ATTR_PRIORITY, 0x6e0001ffL)
                .attribute(StunMessage.ATTR_ICE_CONTROLLED, HexFormat.of().parseHex("932ff9b151263b36"))
                .string(StunMessage.ATTR_USERNAME, "evtj:h6vY")
                .integrity(PASSWORD)
                .fingerprint();
        assertThat(HexFormat.of().formatHex(built)).isEqualTo(REQUEST);
    }

    @Test
    void section2_2_sampleIpv4ResponseVerifiesAndDecodes() throws Exception {
        byte[] b = HexFormat.of().parseHex(RESPONSE_V4);
        StunMessage m = StunMessage.parse(b, 0, b.length);
        assertThat(m.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
        assertThat(m.checkFingerprint()).isTrue();
        assertThat(m.checkIntegrity(PASSWORD)).isTrue();
        assertThat(m.xorMappedAddress())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
    }

    @Test
    void section2_2_sampleIpv4ResponseIsRebuiltByteForByte() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
        byte[] built = new StunBuilder(StunMessage.BINDING_SUCCESS, TX).padWith((byte) 0x20)
                .string(StunMessage.ATTR_SOFTWARE, "test vector")
                .xorMappedAddress(a, TX)
                .integrity(PASSWORD)
                .fingerprint();
        assertThat(HexFormat.of().formatHex(built)).isEqualTo(RESPONSE_V4);
    }

    @Test
    void aFlippedBitFailsFingerprintAndIntegrity() throws Exception {
        byte[] b = HexFormat.of().parseHex(REQUEST);
        b[30] ^= 1; // inside SOFTWARE
        StunMessage m = StunMessage.parse(b, 0, b.length);
        assertThat(m.checkFingerprint()).isFalse();
        assertThat(m.checkIntegrity(PASSWORD)).isFalse();
    }

    @Test
    void truncatedMessagesAreRefused() {
        byte[] b = HexFormat.of().parseHex(REQUEST);
        for (int len = 0; len < b.length; len++) {
            int n = len;
            assertThatThrownBy(() -> StunMessage.parse(b, 0, n)).isInstanceOf(StunException.class);
        }
    }
}
