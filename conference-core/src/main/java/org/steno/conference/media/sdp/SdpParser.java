package org.steno.conference.media.sdp;

import java.util.Locale;
import org.steno.conference.media.InvalidSdpException;
import org.steno.conference.media.sdp.SessionDescription.Codec;
import org.steno.conference.media.sdp.SessionDescription.MediaDescription;

/**
 * Parses an SDP offer from a browser. Lenient on attributes it does not know, strict on what it needs: anything
 * missing or malformed gives an {@link InvalidSdpException} whose message names the line.
 */
public final class SdpParser {

    /** Longest SDP we accept: a 150-transceiver offer is ~150 KB. */
    public static final int MAX_LENGTH = 512 * 1024;

    private SdpParser() {
    }

    public static SessionDescription parse(String sdp) throws InvalidSdpException {
        if (sdp == null || sdp.isBlank()) {
            throw new InvalidSdpException("the SDP is empty");
        }
        if (sdp.length() > MAX_LENGTH) {
            throw new InvalidSdpException("the SDP is longer than " + MAX_LENGTH + " characters");
        }
        SessionDescription s = new SessionDescription();
        MediaDescription m = null;
        boolean sawVersion = false;
        int lineNo = 0;
        for (String raw : sdp.split("\r?\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new InvalidSdpException("line " + lineNo + " is not of the form x=value");
            }
            char kind = line.charAt(0);
            String value = line.substring(2);
            try {
                if (kind == 'v') {
                    sawVersion = value.equals("0");
                } else if (kind == 'm') {
                    m = parseMediaLine(value, lineNo);
                    s.media.add(m);
                } else if (kind == 'a') {
                    attribute(s, m, value);
                }
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw new InvalidSdpException("line " + lineNo + " (" + abbreviate(line) + ") is malformed");
            }
        }
        if (!sawVersion) {
            throw new InvalidSdpException("the SDP does not start with v=0");
        }
        if (s.media.isEmpty()) {
            throw new InvalidSdpException("the SDP has no m-line");
        }
        for (MediaDescription md : s.media) {
            if (md.iceUfrag == null) {
                md.iceUfrag = s.iceUfrag;
            }
            if (md.icePwd == null) {
                md.icePwd = s.icePwd;
            }
            if (md.fingerprint == null) {
                md.fingerprint = s.fingerprint;
                md.fingerprintAlgorithm = s.fingerprintAlgorithm;
            }
            if (md.setup == null) {
                md.setup = s.setup;
            }
        }
        return s;
    }

    private static MediaDescription parseMediaLine(String value, int lineNo) throws InvalidSdpException {
        String[] f = value.split(" ");
        if (f.length < 3) {
            throw new InvalidSdpException("m-line on line " + lineNo + " needs media, port and protocol");
        }
        MediaDescription m = new MediaDescription();
        m.type = f[0];
        m.port = Integer.parseInt(f[1].contains("/") ? f[1].substring(0, f[1].indexOf('/')) : f[1]);
        m.protocol = f[2];
        for (int i = 3; i < f.length; i++) {
            if (f[i].chars().allMatch(Character::isDigit) && !f[i].isEmpty()) {
                m.formats.add(Integer.parseInt(f[i]));
            }
        }
        return m;
    }

    private static void attribute(SessionDescription s, MediaDescription m, String a) throws InvalidSdpException {
        int colon = a.indexOf(':');
        String name = colon < 0 ? a : a.substring(0, colon);
        String v = colon < 0 ? "" : a.substring(colon + 1);
        switch (name) {
            case "group":
                if (v.startsWith("BUNDLE")) {
                    for (String mid : v.substring(6).trim().split(" ")) {
                        if (!mid.isEmpty()) {
                            s.bundleMids.add(mid);
                        }
                    }
                }
                return;
            case "ice-ufrag":
                if (m == null) {
                    s.iceUfrag = v;
                } else {
                    m.iceUfrag = v;
                }
                return;
            case "ice-pwd":
                if (m == null) {
                    s.icePwd = v;
                } else {
                    m.icePwd = v;
                }
                return;
            case "fingerprint": {
                String[] f = v.split(" ");
                if (f.length != 2) {
                    throw new InvalidSdpException("a=fingerprint needs an algorithm and a value");
                }
                if (m == null) {
                    s.fingerprintAlgorithm = f[0].toLowerCase(Locale.ROOT);
                    s.fingerprint = f[1].toUpperCase(Locale.ROOT);
                } else {
                    m.fingerprintAlgorithm = f[0].toLowerCase(Locale.ROOT);
                    m.fingerprint = f[1].toUpperCase(Locale.ROOT);
                }
                return;
            }
            case "setup":
                if (m == null) {
                    s.setup = v;
                } else {
                    m.setup = v;
                }
                return;
            default:
                break;
        }
        if (m == null) {
            return; // other session-level attributes do not matter to us
        }
        switch (name) {
            case "mid" -> m.mid = v;
            case "sendrecv", "sendonly", "recvonly", "inactive" -> m.direction = name;
            case "rtcp-mux" -> m.rtcpMux = true;
            case "rtcp-rsize" -> m.rtcpRsize = true;
            case "rtpmap" -> {
                int sp = v.indexOf(' ');
                int pt = Integer.parseInt(v.substring(0, sp));
                String[] enc = v.substring(sp + 1).split("/");
                int channels = enc.length > 2 ? Integer.parseInt(enc[2]) : 1;
                m.codecs.put(pt, new Codec(pt, enc[0], Integer.parseInt(enc[1]), channels));
            }
            case "fmtp" -> {
                int sp = v.indexOf(' ');
                Codec c = m.codecs.get(Integer.parseInt(v.substring(0, sp)));
                if (c != null) {
                    c.fmtp = v.substring(sp + 1);
                }
            }
            case "rtcp-fb" -> {
                int sp = v.indexOf(' ');
                String ptText = v.substring(0, sp);
                if (!ptText.equals("*")) {
                    Codec c = m.codecs.get(Integer.parseInt(ptText));
                    if (c != null) {
                        c.feedback.add(v.substring(sp + 1));
                    }
                }
            }
            case "extmap" -> {
                String[] f = v.split(" ");
                String idText = f[0].contains("/") ? f[0].substring(0, f[0].indexOf('/')) : f[0];
                int id = Integer.parseInt(idText);
                if (id < 1 || id > 255) {
                    throw new InvalidSdpException("a=extmap id " + id + " is out of range");
                }
                m.extmaps.put(id, f[1]);
            }
            case "ssrc" -> {
                int sp = v.indexOf(' ');
                long ssrc = Long.parseLong(sp < 0 ? v : v.substring(0, sp));
                if (ssrc < 0 || ssrc > 0xFFFFFFFFL) {
                    throw new InvalidSdpException("a=ssrc " + ssrc + " is out of range");
                }
                if (!m.ssrcs.contains(ssrc)) {
                    m.ssrcs.add(ssrc);
                }
            }
            case "ssrc-group" -> {
                String[] f = v.split(" ");
                if (f[0].equals("FID") && f.length >= 3) {
                    m.fidSsrcs.add(Long.parseLong(f[2]));
                }
            }
            case "msid" -> m.msid = v;
            case "content" -> m.content = v;
            case "rid" -> Simulcast.parseRid(m, v);
            case "simulcast" -> {
                if (m.simulcast != null) {
                    throw new InvalidSdpException("m-line " + m.mid + " has two a=simulcast lines");
                }
                m.simulcast = v.strip();
            }
            default -> {
                // ignored: other attributes do not change what we answer
            }
        }
    }

    private static String abbreviate(String line) {
        return line.length() > 60 ? line.substring(0, 60) + "…" : line;
    }
}
