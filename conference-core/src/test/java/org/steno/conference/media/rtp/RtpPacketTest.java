package org.steno.conference.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RTP header parsing and RFC 8285 header extensions (one-byte and two-byte forms), RFC 6464 audio level. */
class RtpPacketTest {

    @Test
    void rfc8285_oneByteExtensionsAreFoundById() {
        // V=2 X=1 PT=111 seq=0x1234 ts=0x01020304 ssrc=0xCAFEBABE; 0xBEDE, 2 words:
        // id1 len1 (audio level 0x85 = voice, 5 dBov), id4 len1 "0" (mid), padding
        byte[] b = HexFormat.of().parseHex("906f123401020304cafebabe" + "bede0002" + "1085" + "4030" + "00000000"
                + "deadbeef");
        RtpPacket p = RtpPacket.parse(b, 0, b.length);
        assertThat(p).isNotNull();
        assertThat(p.payloadType()).isEqualTo(111);
        assertThat(p.sequenceNumber()).isEqualTo(0x1234);
        assertThat(p.timestamp()).isEqualTo(0x01020304L);
        assertThat(p.ssrc()).isEqualTo(0xCAFEBABEL);
        assertThat(p.audioLevel(1)).isEqualTo(5);
        assertThat(p.voiceActivity(1)).isTrue();
        assertThat(p.stringExtension(4)).isEqualTo("0");
        assertThat(p.findExtension(3)).isEqualTo(-1);
        assertThat(p.payloadLength()).isEqualTo(4);
        assertThat(p.payload()).isEqualTo(HexFormat.of().parseHex("deadbeef"));
    }

    @Test
    void rfc8285_twoByteExtensionsAreFoundById() {
        // 0x1000 profile, 2 words: id 16 len 2, id 4 len 1, padding
        byte[] b = HexFormat.of().parseHex("906f000100000001000000aa" + "10000002" + "1002abcd" + "040131" + "00"
                + "ff");
        RtpPacket p = RtpPacket.parse(b, 0, b.length);
        assertThat(p.extensionLength(16)).isEqualTo(2);
        assertThat(p.stringExtension(4)).isEqualTo("1");
        assertThat(p.payloadLength()).isEqualTo(1);
    }

    @Test
    void paddingIsExcludedFromThePayload() {
        byte[] b = HexFormat.of().parseHex("a06f000100000001000000aa" + "01020000000004");
        RtpPacket p = RtpPacket.parse(b, 0, b.length);
        assertThat(p.payloadLength()).isEqualTo(3);
    }

    @Test
    void malformedPacketsAreRefused() {
        assertThat(RtpPacket.parse(new byte[11], 0, 11)).isNull();
        assertThat(RtpPacket.parse(HexFormat.of().parseHex("406f000100000001000000aa"), 0, 12)).isNull(); // V=1
        byte[] csrcOverrun = HexFormat.of().parseHex("8f6f000100000001000000aa");
        assertThat(RtpPacket.parse(csrcOverrun, 0, csrcOverrun.length)).isNull();
        byte[] extOverrun = HexFormat.of().parseHex("906f000100000001000000aa" + "bede00ff");
        assertThat(RtpPacket.parse(extOverrun, 0, extOverrun.length)).isNull();
        byte[] badPadding = HexFormat.of().parseHex("a06f000100000001000000aa" + "0000ff");
        assertThat(RtpPacket.parse(badPadding, 0, badPadding.length)).isNull();
    }

    @Test
    void writerAndParserAgree() {
        byte[] payload = {1, 2, 3, 4, 5};
        byte[] out = RtpWriter.write(96, true, 65535, 0xFFFFFFFFL, 0x11223344L,
                new RtpWriter.Extension[] {RtpWriter.Extension.mid(4, "12"), RtpWriter.Extension.audioLevel(1, true, 30)},
                payload, 0, payload.length);
        RtpPacket p = RtpPacket.parse(out, 0, out.length);
        assertThat(p.marker()).isTrue();
        assertThat(p.payloadType()).isEqualTo(96);
        assertThat(p.sequenceNumber()).isEqualTo(65535);
        assertThat(p.timestamp()).isEqualTo(0xFFFFFFFFL);
        assertThat(p.ssrc()).isEqualTo(0x11223344L);
        assertThat(p.stringExtension(4)).isEqualTo("12");
        assertThat(p.audioLevel(1)).isEqualTo(30);
        assertThat(p.payload()).isEqualTo(payload);
    }

    @Test
    void unwrapperExtendsAcrossTheWrapWithReordering() {
        SequenceUnwrapper u = new SequenceUnwrapper();
        assertThat(u.unwrap(65534)).isEqualTo(65534);
        assertThat(u.unwrap(1)).isEqualTo(65537);
        assertThat(u.unwrap(65535)).isEqualTo(65535); // late, before the wrap
        assertThat(u.unwrap(0)).isEqualTo(65536);
        assertThat(u.unwrap(2)).isEqualTo(65538);
        assertThat(u.highest()).isEqualTo(65538);
        for (int i = 0; i < 3 * 65536; i += 1000) {
            u.unwrap((65538 + i) & 0xFFFF);
        }
        assertThat(u.highest()).isGreaterThan(3 * 65536L);
    }
}
