package org.steno.conference.media.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.steno.conference.media.InvalidSdpException;
import org.steno.conference.media.ice.HostCandidates;
import org.steno.conference.media.sdp.SessionDescription.Codec;
import org.steno.conference.media.sdp.SessionDescription.MediaDescription;

/**
 * Checks an offer and writes the ICE-lite, DTLS-passive, BUNDLE answer Chromium accepts (see notes/webrtc.md).
 */
public final class SdpAnswer {

    public static final String EXT_MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String EXT_AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String EXT_ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    /** Header extensions we echo: the ones we read or write. Others (transport-cc, ...) are left out. */
    static final Set<String> SUPPORTED_EXTENSIONS = Set.of(EXT_MID, EXT_AUDIO_LEVEL, EXT_ABS_SEND_TIME,
            Simulcast.EXT_RID, Simulcast.EXT_REPAIRED_RID);
    /** Only on a simulcast line: elsewhere no packet needs them. */
    private static final Set<String> SIMULCAST_EXTENSIONS = Set.of(Simulcast.EXT_RID, Simulcast.EXT_REPAIRED_RID);
    private static final Set<String> SUPPORTED_FEEDBACK = Set.of("nack", "nack pli", "ccm fir");

    /**
     * How we answer one m-line. {@code sendSsrc} &lt; 0 means we do not send on it; {@code simulcastRids} are the
     * layers we receive on it (empty: one layer).
     */
    public record Line(MediaDescription offer, Codec codec, String direction, long sendSsrc, String msid,
                       List<String> simulcastRids) {
        public Line(MediaDescription offer, Codec codec, String direction, long sendSsrc, String msid) {
            this(offer, codec, direction, sendSsrc, msid, List.of());
        }

        public boolean accepted() {
            return codec != null;
        }
    }

    private SdpAnswer() {
    }

    /** Whether the answer keeps this rtcp-fb of the offered codec. */
    public static boolean answersFeedback(Codec c, String feedback) {
        return SUPPORTED_FEEDBACK.contains(feedback) && c.feedback.stream().anyMatch(f -> f.equalsIgnoreCase(feedback));
    }

    /** Checks what a usable offer must have. */
    public static void validate(SessionDescription offer) throws InvalidSdpException {
        if (offer.bundleMids.isEmpty()) {
            throw new InvalidSdpException("the offer must bundle all m-lines (a=group:BUNDLE)");
        }
        for (MediaDescription m : offer.media) {
            if (m.mid == null || m.mid.isEmpty()) {
                throw new InvalidSdpException("every m-line needs an a=mid");
            }
            if (m.port == 0 || !isRtp(m)) {
                continue; // rejected or not RTP: we will reject it
            }
            if (!m.protocol.equals("UDP/TLS/RTP/SAVPF")) {
                throw new InvalidSdpException("m-line " + m.mid + " uses " + m.protocol + ", not UDP/TLS/RTP/SAVPF");
            }
            if (m.iceUfrag == null || m.icePwd == null) {
                throw new InvalidSdpException("m-line " + m.mid + " has no a=ice-ufrag/a=ice-pwd");
            }
            if (m.fingerprint == null || !"sha-256".equals(m.fingerprintAlgorithm)) {
                throw new InvalidSdpException("m-line " + m.mid + " needs an a=fingerprint:sha-256");
            }
            if (!m.fingerprint.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}")) {
                throw new InvalidSdpException("m-line " + m.mid + " has a malformed sha-256 fingerprint");
            }
            if (m.setup == null || !(m.setup.equals("actpass") || m.setup.equals("active"))) {
                throw new InvalidSdpException("m-line " + m.mid + " must offer a=setup:actpass or active"
                        + " (the server is the DTLS server)");
            }
            if (!m.rtcpMux) {
                throw new InvalidSdpException("m-line " + m.mid + " must use a=rtcp-mux");
            }
        }
    }

    public static boolean isRtp(MediaDescription m) {
        return m.type.equals("audio") || m.type.equals("video");
    }

    /** Opus for audio; VP8, else H.264 (packetization-mode=1 first) for video; null if none is offered. */
    public static Codec chooseCodec(MediaDescription m) {
        if (m.type.equals("audio")) {
            return first(m, "opus", null);
        }
        if (m.type.equals("video")) {
            Codec vp8 = first(m, "VP8", null);
            if (vp8 != null) {
                return vp8;
            }
            Codec h264 = first(m, "H264", "packetization-mode=1");
            return h264 != null ? h264 : first(m, "H264", null);
        }
        return null;
    }

    private static Codec first(MediaDescription m, String name, String fmtpPart) {
        for (int pt : m.formats) {
            Codec c = m.codecs.get(pt);
            if (c != null && c.name.equalsIgnoreCase(name)
                    && (fmtpPart == null || (c.fmtp != null && c.fmtp.contains(fmtpPart)))) {
                return c;
            }
        }
        return null;
    }

    /** Direction of our answer given the offer's direction and whether we send. */
    public static String answerDirection(String offered) {
        return switch (offered) {
            case "sendrecv" -> "sendrecv";
            case "sendonly" -> "recvonly";
            case "recvonly" -> "sendonly";
            default -> "inactive";
        };
    }

    public static String build(SessionDescription offer, List<Line> lines, String ufrag, String pwd,
                               String fingerprint, List<String> candidateAddresses, int port, long sessionId,
                               int version) {
        if (candidateAddresses.isEmpty()) {
            throw new IllegalArgumentException("no candidate address");
        }
        StringBuilder b = new StringBuilder(2048);
        // c= and o= carry the best candidate's address: with ICE, c= only names the default candidate (RFC 8839).
        String address = candidateAddresses.get(0);
        String ipVer = address.contains(":") ? "IP6" : "IP4";
        b.append("v=0\r\n");
        b.append("o=steno ").append(sessionId).append(' ').append(version).append(" IN ").append(ipVer).append(' ')
                .append(address).append("\r\n");
        b.append("s=-\r\nt=0 0\r\n");
        b.append("a=ice-lite\r\n");
        List<String> bundle = new ArrayList<>();
        for (Line l : lines) {
            if (l.accepted() && offer.bundleMids.contains(l.offer().mid)) {
                bundle.add(l.offer().mid);
            }
        }
        b.append("a=group:BUNDLE ").append(String.join(" ", bundle)).append("\r\n");
        b.append("a=msid-semantic: WMS *\r\n");
        boolean candidateWritten = false;
        for (Line l : lines) {
            MediaDescription m = l.offer();
            if (!l.accepted()) {
                b.append("m=").append(m.type).append(" 0 ").append(m.protocol);
                if (m.formats.isEmpty()) {
                    b.append(m.protocol.contains("SCTP") ? " webrtc-datachannel" : " 0");
                } else {
                    b.append(' ').append(m.formats.get(0));
                }
                b.append("\r\nc=IN ").append(ipVer).append(' ').append(address).append("\r\n");
                b.append("a=mid:").append(m.mid).append("\r\na=inactive\r\n");
                continue;
            }
            Codec c = l.codec();
            b.append("m=").append(m.type).append(' ').append(port).append(" UDP/TLS/RTP/SAVPF ")
                    .append(c.payloadType).append("\r\n");
            b.append("c=IN ").append(ipVer).append(' ').append(address).append("\r\n");
            b.append("a=mid:").append(m.mid).append("\r\n");
            b.append("a=ice-ufrag:").append(ufrag).append("\r\n");
            b.append("a=ice-pwd:").append(pwd).append("\r\n");
            b.append("a=fingerprint:sha-256 ").append(fingerprint).append("\r\n");
            b.append("a=setup:passive\r\n");
            b.append("a=rtcp-mux\r\n");
            if (m.rtcpRsize) {
                b.append("a=rtcp-rsize\r\n");
            }
            for (var e : m.extmaps.entrySet()) {
                boolean wanted = SUPPORTED_EXTENSIONS.contains(e.getValue())
                        && (!SIMULCAST_EXTENSIONS.contains(e.getValue()) || !l.simulcastRids().isEmpty());
                if (wanted && e.getKey() <= 14) {
                    b.append("a=extmap:").append(e.getKey()).append(' ').append(e.getValue()).append("\r\n");
                }
            }
            b.append('a').append('=').append(l.direction()).append("\r\n");
            b.append("a=rtpmap:").append(c.payloadType).append(' ').append(c.name).append('/').append(c.clockRate);
            if (c.channels > 1) {
                b.append('/').append(c.channels);
            }
            b.append("\r\n");
            if (c.fmtp != null) {
                b.append("a=fmtp:").append(c.payloadType).append(' ').append(c.fmtp).append("\r\n");
            }
            for (String fb : c.feedback) {
                if (SUPPORTED_FEEDBACK.contains(fb.toLowerCase(Locale.ROOT))) {
                    b.append("a=rtcp-fb:").append(c.payloadType).append(' ').append(fb).append("\r\n");
                }
            }
            Simulcast.appendAnswer(b, l.simulcastRids());
            if (l.sendSsrc() >= 0 && !l.direction().equals("recvonly") && !l.direction().equals("inactive")) {
                b.append("a=msid:").append(l.msid()).append("\r\n");
                b.append("a=ssrc:").append(l.sendSsrc()).append(" cname:steno\r\n");
                b.append("a=ssrc:").append(l.sendSsrc()).append(" msid:").append(l.msid()).append("\r\n");
            }
            if (!candidateWritten) {
                // BUNDLE: the candidates go on the first m-line only. One per address, each its own foundation
                // (a different base address, RFC 8445 §5.1.1.3), priorities falling in the given order.
                for (int i = 0; i < candidateAddresses.size(); i++) {
                    b.append("a=candidate:").append(i + 1).append(" 1 udp ").append(HostCandidates.priority(i))
                            .append(' ').append(candidateAddresses.get(i)).append(' ').append(port)
                            .append(" typ host\r\n");
                }
                b.append("a=end-of-candidates\r\n");
                candidateWritten = true;
            }
        }
        return b.toString();
    }
}
