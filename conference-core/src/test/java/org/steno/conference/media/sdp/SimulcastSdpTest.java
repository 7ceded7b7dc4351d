package org.steno.conference.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.steno.conference.media.InvalidSdpException;
import org.steno.conference.media.sdp.SessionDescription.MediaDescription;

/**
 * Simulcast as Chromium offers it (RFC 8851 rid, RFC 8853 simulcast), from an offer captured from headless Chromium
 * 150 sending a 640×480 camera with three encodings (rids q, h, f), and the answer we build from it.
 */
public class SimulcastSdpTest {

    public static String simulcastOffer() throws IOException {
        try (InputStream in = SimulcastSdpTest.class.getResourceAsStream("/media/chromium150-simulcast-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheRidsAndTheSimulcastLineOfChromiumsOffer() throws Exception {
        SessionDescription s = SdpParser.parse(simulcastOffer());
        MediaDescription camera = s.media.get(1);
        assertThat(camera.rids).containsExactly(java.util.Map.entry("q", "send"), java.util.Map.entry("h", "send"),
                java.util.Map.entry("f", "send"));
        assertThat(camera.simulcast).isEqualTo("send q;h;f");
        assertThat(Simulcast.sendLayers(camera)).containsExactly("q", "h", "f");
        assertThat(camera.ssrcs).as("Chromium signals no SSRC for simulcast layers").isEmpty();
        assertThat(camera.extensionId(Simulcast.EXT_RID)).isEqualTo(10);
        assertThat(camera.extensionId(Simulcast.EXT_REPAIRED_RID)).isEqualTo(11);
        assertThat(Simulcast.sendLayers(s.media.get(0))).as("audio").isEmpty();
        assertThat(Simulcast.sendLayers(s.media.get(3))).as("a receive-only line").isEmpty();
    }

    @Test
    void answersWithTheLayersAsRecvRidsAndTheRidExtensions() throws Exception {
        SessionDescription s = SdpParser.parse(simulcastOffer());
        SdpAnswer.validate(s);
        List<SdpAnswer.Line> lines = new ArrayList<>();
        for (MediaDescription m : s.media) {
            lines.add(new SdpAnswer.Line(m, SdpAnswer.chooseCodec(m), SdpAnswer.answerDirection(m.direction),
                    m.browserReceives() ? 1000 + lines.size() : -1, "s t", m.browserSends() ? Simulcast.sendLayers(m) : List.of()));
        }
        String answer = SdpAnswer.build(s, lines, "ufrag", "pwd", "AA:BB", List.of("192.0.2.1"), 10000, 1, 1);
        String camera = section(answer, "1");
        assertThat(camera).contains("a=recvonly\r\n", "a=rid:q recv\r\na=rid:h recv\r\na=rid:f recv\r\n",
                "a=simulcast:recv q;h;f\r\n", "a=extmap:10 " + Simulcast.EXT_RID + "\r\n",
                "a=extmap:11 " + Simulcast.EXT_REPAIRED_RID + "\r\n");
        // Simulcast is answered only where it was offered: the receive-only video line gets no rid lines.
        String receiveOnly = section(answer, "3");
        assertThat(receiveOnly).doesNotContain("a=rid", "a=simulcast", Simulcast.EXT_RID);
        // And the answer parses back as what it says.
        SessionDescription back = SdpParser.parse(answer);
        assertThat(back.media.get(1).rids).containsEntry("q", "recv").containsEntry("f", "recv");
        assertThat(back.media.get(1).simulcast).isEqualTo("recv q;h;f");
    }

    @Test
    void takesTheFirstAlternativeOfEachStreamAndPausedOnes() throws Exception {
        MediaDescription m = video("a=rid:a send\r\na=rid:b send\r\na=rid:c send\r\na=simulcast:send a,b;~c\r\n");
        assertThat(Simulcast.sendLayers(m)).containsExactly("a", "c");
        MediaDescription both = video("a=rid:1 send\r\na=rid:2 send\r\na=rid:3 recv\r\na=simulcast:recv 3 send 1;2\r\n");
        assertThat(Simulcast.sendLayers(both)).containsExactly("1", "2");
    }

    @Test
    void ignoresRidsOnAudioAndSimulcastTheBrowserOnlyReceives() throws Exception {
        SessionDescription s = SdpParser.parse(offer("audio", "a=rid:q send\r\na=rid:h send\r\na=simulcast:send q;h\r\n"));
        MediaDescription audio = s.media.get(0);
        assertThat(audio.rids).isEmpty();
        assertThat(Simulcast.sendLayers(audio)).isEmpty();
        MediaDescription recvOnly = video("a=rid:q recv\r\na=rid:h recv\r\na=simulcast:recv q;h\r\n");
        assertThat(Simulcast.sendLayers(recvOnly)).isEmpty();
        assertThat(Simulcast.sendLayers(video("a=rid:q send\r\na=simulcast:send q\r\n"))).as("one layer").isEmpty();
    }

    @Test
    void refusesMalformedRidsAndSimulcastLinesWithAClearReason() {
        assertRefused("a=rid:q\r\n", "needs an id and a direction");
        assertRefused("a=rid:q sideways\r\n", "must be send or recv");
        assertRefused("a=rid:q!x send\r\n", "letters, digits");
        assertRefused("a=rid:" + "x".repeat(17) + " send\r\n", "1 to 16");
        assertRefused("a=rid:q send\r\na=rid:q send\r\n", "appears twice");
        assertRefused("a=rid:q send\r\na=simulcast:send q\r\na=simulcast:send q\r\n", "two a=simulcast");
        assertRefusedLayers("a=rid:q send\r\na=rid:h send\r\na=simulcast:send q;x\r\n", "no a=rid:x send");
        assertRefusedLayers("a=rid:q send\r\na=rid:h recv\r\na=simulcast:send q;h\r\n", "no a=rid:h send");
        assertRefusedLayers("a=rid:q send\r\na=simulcast:send q;q\r\n", "twice");
        assertRefusedLayers("a=rid:q send\r\na=simulcast:sideways q\r\n", "send <rids>");
        assertRefusedLayers("a=rid:q send\r\na=simulcast:send\r\n", "send <rids>");
        assertRefusedLayers("a=rid:q send\r\na=simulcast:send q;;\r\n", "malformed rid");
        assertRefusedLayers("a=rid:a send\r\na=rid:b send\r\na=rid:c send\r\na=rid:d send\r\na=rid:e send\r\n"
                + "a=simulcast:send a;b;c;d;e\r\n", "at most 4");
    }

    private static void assertRefused(String lines, String reason) {
        assertThatThrownBy(() -> SdpParser.parse(offer("video", lines))).isInstanceOf(InvalidSdpException.class)
                .hasMessageContaining(reason);
    }

    private static void assertRefusedLayers(String lines, String reason) {
        assertThatThrownBy(() -> Simulcast.sendLayers(video(lines))).isInstanceOf(InvalidSdpException.class)
                .hasMessageContaining(reason);
    }

    private static MediaDescription video(String lines) throws InvalidSdpException {
        return SdpParser.parse(offer("video", lines)).media.get(0);
    }

    static String offer(String kind, String extra) {
        return "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                + "m=" + kind + " 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendonly\r\n"
                + "a=rtpmap:96 " + (kind.equals("audio") ? "opus/48000/2" : "VP8/90000") + "\r\n" + extra;
    }

    /** The lines of one m-section of an SDP, by its mid. */
    static String section(String sdp, String mid) {
        for (String part : sdp.split("(?<=\r\n)(?=m=)")) {
            if (part.contains("\r\na=mid:" + mid + "\r\n")) {
                return part;
            }
        }
        throw new AssertionError("no m-line with mid " + mid);
    }
}
