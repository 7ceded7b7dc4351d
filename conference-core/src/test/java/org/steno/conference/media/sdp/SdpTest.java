package org.steno.conference.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.steno.conference.media.InvalidSdpException;
import org.steno.conference.media.sdp.SessionDescription.MediaDescription;

/** Parsing a real Chromium 156 offer, the answer we build from it, and offers that must be refused. */
public class SdpTest {

    public static String chromiumOffer() throws IOException {
        try (InputStream in = SdpTest.class.getResourceAsStream("/media/chromium156-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void parsesTheChromiumOffer() throws Exception {
        SessionDescription s = SdpParser.parse(chromiumOffer());
        assertThat(s.bundleMids).containsExactly("0", "1", "2", "3");
        assertThat(s.media).hasSize(4);
        MediaDescription audio = s.media.get(0);
        assertThat(audio.type).isEqualTo("audio");
        assertThat(audio.mid).isEqualTo("0");
        assertThat(audio.direction).isEqualTo("sendrecv");
        assertThat(audio.rtcpMux).isTrue();
        assertThat(audio.iceUfrag).isEqualTo("lTin");
        assertThat(audio.fingerprintAlgorithm).isEqualTo("sha-256");
        assertThat(audio.setup).isEqualTo("actpass");
        assertThat(audio.extensionId(SdpAnswer.EXT_AUDIO_LEVEL)).isEqualTo(1);
        assertThat(audio.extensionId(SdpAnswer.EXT_MID)).isEqualTo(4);
        assertThat(audio.primarySsrc()).isEqualTo(3600373881L);
        assertThat(SdpAnswer.chooseCodec(audio).name).isEqualTo("opus");
        assertThat(SdpAnswer.chooseCodec(audio).payloadType).isEqualTo(111);
        MediaDescription video = s.media.get(1);
        assertThat(SdpAnswer.chooseCodec(video).name).isEqualTo("VP8");
        assertThat(video.fidSsrcs).hasSize(1);
        assertThat(video.primarySsrc()).isNotEqualTo(video.fidSsrcs.get(0));
        assertThat(s.media.get(2).direction).isEqualTo("recvonly");
        assertThat(s.media.get(3).direction).isEqualTo("recvonly");
    }

    @Test
    void buildsAnIceLitePassiveBundledAnswer() throws Exception {
        SessionDescription s = SdpParser.parse(chromiumOffer());
        SdpAnswer.validate(s);
        List<SdpAnswer.Line> lines = new ArrayList<>();
        long ssrc = 1000;
        for (MediaDescription m : s.media) {
            lines.add(new SdpAnswer.Line(m, SdpAnswer.chooseCodec(m), SdpAnswer.answerDirection(m.direction),
                    m.browserReceives() ? ssrc++ : -1, "s t" + ssrc));
        }
        String answer = SdpAnswer.build(s, lines, "ufrg", "pwdpwdpwdpwdpwdpwdpwdpwd",
                "AA:BB", List.of("192.0.2.9"), 10000, 1, 1);
        assertThat(answer).startsWith("v=0\r\n");
        assertThat(answer).contains("a=ice-lite\r\n", "a=group:BUNDLE 0 1 2 3\r\n", "a=setup:passive\r\n",
                "a=rtcp-mux\r\n", "a=rtpmap:111 opus/48000/2\r\n", "a=rtpmap:96 VP8/90000\r\n",
                "a=candidate:1 1 udp 2130706431 192.0.2.9 10000 typ host\r\n", "a=end-of-candidates\r\n",
                "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n",
                "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n",
                "a=rtcp-fb:96 nack pli\r\n", "a=ssrc:1000 cname:steno\r\n");
        assertThat(answer).doesNotContain("transport-cc", "a=setup:actpass", "rtx/90000");
        assertThat(answer.split("a=candidate:", -1)).hasSize(2); // one candidate only
        assertThat(answer).contains("a=sendonly\r\n"); // answer to recvonly slots
        // and it parses back
        SessionDescription back = SdpParser.parse(answer);
        assertThat(back.media).hasSize(4);
        assertThat(back.media.get(0).setup).isEqualTo("passive");
    }

    @Test
    void everyCandidateAddressIsAHostCandidateOnTheFirstMLineWithFallingPriority() throws Exception {
        SessionDescription s = SdpParser.parse(chromiumOffer());
        List<SdpAnswer.Line> lines = new ArrayList<>();
        for (MediaDescription m : s.media) {
            lines.add(new SdpAnswer.Line(m, SdpAnswer.chooseCodec(m), SdpAnswer.answerDirection(m.direction), -1, null));
        }
        String answer = SdpAnswer.build(s, lines, "ufrg", "pwdpwdpwdpwdpwdpwdpwdpwd", "AA:BB",
                List.of("192.0.2.9", "198.51.100.4", "2001:db8::7"), 10000, 1, 1);
        // RFC 8445 §5.1.2.1: (126 << 24) + (local preference << 8) + 255, local preference 65535, 65534, ...
        assertThat(answer).contains(
                "a=candidate:1 1 udp 2130706431 192.0.2.9 10000 typ host\r\n"
                        + "a=candidate:2 1 udp 2130706175 198.51.100.4 10000 typ host\r\n"
                        + "a=candidate:3 1 udp 2130705919 2001:db8::7 10000 typ host\r\n"
                        + "a=end-of-candidates\r\n",
                "c=IN IP4 192.0.2.9\r\n");
        assertThat(answer.split("a=candidate:", -1)).hasSize(4);
        assertThat(SdpParser.parse(answer).media).hasSize(4);
    }

    @Test
    void h264WithPacketizationMode1IsTheFallbackWhenVp8IsNotOffered() throws Exception {
        String noVp8 = chromiumOffer().replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 X-NOPE/90000");
        MediaDescription video = SdpParser.parse(noVp8).media.get(1);
        SessionDescription.Codec c = SdpAnswer.chooseCodec(video);
        assertThat(c.name).isEqualTo("H264");
        assertThat(c.fmtp).contains("packetization-mode=1");
        assertThat(c.payloadType).isEqualTo(102);
    }

    @Test
    void offersMissingWhatWeNeedAreRefusedWithAReason() throws Exception {
        String ok = chromiumOffer();
        assertRefused(ok.replace("a=group:BUNDLE 0 1 2 3\r\n", ""), "BUNDLE");
        assertRefused(ok.replaceAll("a=rtcp-mux\r\n", ""), "rtcp-mux");
        assertRefused(ok.replaceAll("a=ice-ufrag:lTin\r\n", ""), "ice-ufrag");
        assertRefused(ok.replaceAll("a=fingerprint:[^\r\n]*\r\n", ""), "fingerprint");
        assertRefused(ok.replaceAll("a=setup:actpass", "a=setup:passive"), "setup");
        assertRefused(ok.replaceAll("a=mid:[0-9]\r\n", ""), "mid");
        assertRefused("", "empty");
        assertRefused("hello", "x=value");
        assertRefused("v=0\r\ns=-\r\n", "no m-line");
        assertRefused(ok.replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 opus"), "malformed");
        assertRefused(ok.replace("a=extmap:4 urn", "a=extmap:999 urn"), "extmap");
    }

    @Test
    void randomGarbageNeverEscapesAsAnythingButInvalidSdp() throws Exception {
        String ok = chromiumOffer();
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            StringBuilder b = new StringBuilder(ok);
            int edits = 1 + r.nextInt(8);
            for (int e = 0; e < edits; e++) {
                int at = r.nextInt(b.length());
                switch (r.nextInt(3)) {
                    case 0 -> b.setCharAt(at, (char) (32 + r.nextInt(95)));
                    case 1 -> b.delete(at, Math.min(b.length(), at + r.nextInt(40)));
                    default -> b.insert(at, "\r\na=" + (char) ('a' + r.nextInt(26)) + ":" + r.nextInt());
                }
            }
            String mutated = i % 10 == 0 ? b.substring(0, r.nextInt(b.length())) : b.toString();
            try {
                SessionDescription s = SdpParser.parse(mutated);
                SdpAnswer.validate(s);
                for (MediaDescription m : s.media) {
                    SdpAnswer.chooseCodec(m);
                }
            } catch (InvalidSdpException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    private static void assertRefused(String sdp, String reasonPart) {
        assertThatThrownBy(() -> SdpAnswer.validate(SdpParser.parse(sdp)))
                .isInstanceOf(InvalidSdpException.class)
                .hasMessageContaining(reasonPart);
    }
}
