package org.steno.conference.media.sdp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.steno.conference.media.InvalidSdpException;
import org.steno.conference.media.sdp.SessionDescription.MediaDescription;

/**
 * Simulcast as a browser offers it on a video m-line: RFC 8851 {@code a=rid:<id> send} lines and RFC 8853
 * {@code a=simulcast:send q;h;f}; the packets then carry the RFC 8852 {@code rtp-stream-id} header extension and no
 * SSRC is signalled (JSEP, RFC 8829 §5.2.1). The answer mirrors the layers it accepts with {@code a=rid:<id> recv}
 * and {@code a=simulcast:recv}. Rids on audio, a {@code recv}-only simulcast (the browser asking to receive layers)
 * and rid lines the simulcast attribute does not name are ignored: the line is then an ordinary one-layer line.
 */
public final class Simulcast {

    /** libwebrtc's limit, and what fits in a one-byte header extension (RFC 8285 §4.2). */
    public static final int MAX_RID_LENGTH = 16;
    /** More layers than any browser sends (Chromium: 3). */
    public static final int MAX_LAYERS = 4;

    public static final String EXT_RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String EXT_REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    private Simulcast() {
    }

    /** One {@code a=rid} value: {@code <rid-id> SP <send|recv> [SP restrictions]} (restrictions are not used). */
    static void parseRid(MediaDescription m, String value) throws InvalidSdpException {
        if (m == null || !"video".equals(m.type)) {
            return; // a rid on audio (or at session level) means nothing to us: ignored
        }
        String[] f = value.strip().split(" +", 3);
        if (f.length < 2) {
            throw new InvalidSdpException("a=rid:" + abbreviate(value) + " needs an id and a direction");
        }
        String id = f[0];
        if (!validRid(id)) {
            throw new InvalidSdpException("a=rid id \"" + abbreviate(id) + "\" must be 1 to " + MAX_RID_LENGTH
                    + " letters, digits, '-' or '_'");
        }
        if (!f[1].equals("send") && !f[1].equals("recv")) {
            throw new InvalidSdpException("a=rid:" + id + " has direction \"" + abbreviate(f[1])
                    + "\"; it must be send or recv");
        }
        if (m.rids.containsKey(id)) {
            throw new InvalidSdpException("a=rid:" + id + " appears twice on m-line " + m.mid);
        }
        if (m.rids.size() >= 2 * MAX_LAYERS) {
            throw new InvalidSdpException("m-line " + m.mid + " has more than " + 2 * MAX_LAYERS + " a=rid lines");
        }
        m.rids.put(id, f[1]);
    }

    static boolean validRid(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_RID_LENGTH && id.chars().allMatch(
                c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
    }

    /**
     * The rids the browser sends on this m-line, in the order of its {@code a=simulcast:send} list (the first
     * alternative of each stream, a paused {@code ~} one too); empty when the line is not a simulcast video line.
     *
     * @throws InvalidSdpException when the attribute is malformed or names a rid with no {@code a=rid:<id> send}
     */
    public static List<String> sendLayers(MediaDescription m) throws InvalidSdpException {
        if (m.simulcast == null || !"video".equals(m.type)) {
            return List.of();
        }
        String[] f = m.simulcast.split(" +");
        String sendList = null;
        for (int i = 0; i < f.length; i += 2) {
            if (i + 1 >= f.length || !(f[i].equals("send") || f[i].equals("recv"))) {
                throw new InvalidSdpException("a=simulcast:" + abbreviate(m.simulcast)
                        + " must read send <rids> and/or recv <rids>");
            }
            if (f[i].equals("send")) {
                if (sendList != null) {
                    throw new InvalidSdpException("a=simulcast on m-line " + m.mid + " has two send lists");
                }
                sendList = f[i + 1];
            }
        }
        if (sendList == null) {
            return List.of(); // the browser asks to receive simulcast: we send one layer, so ignore it
        }
        Set<String> layers = new LinkedHashSet<>();
        for (String stream : sendList.split(";", -1)) {
            String first = stream.split(",", -1)[0];
            String id = first.startsWith("~") ? first.substring(1) : first;
            if (!validRid(id)) {
                throw new InvalidSdpException("a=simulcast on m-line " + m.mid + " has a malformed rid \""
                        + abbreviate(id) + "\"");
            }
            if (!"send".equals(m.rids.get(id))) {
                throw new InvalidSdpException("a=simulcast on m-line " + m.mid + " names rid " + id
                        + " but there is no a=rid:" + id + " send");
            }
            if (!layers.add(id)) {
                throw new InvalidSdpException("a=simulcast on m-line " + m.mid + " names rid " + id + " twice");
            }
        }
        if (layers.size() > MAX_LAYERS) {
            throw new InvalidSdpException("a=simulcast on m-line " + m.mid + " has " + layers.size()
                    + " layers; at most " + MAX_LAYERS + " are accepted");
        }
        return layers.size() < 2 ? List.of() : new ArrayList<>(layers);
    }

    /** The answer's lines for the layers we receive: {@code a=rid:<id> recv} each, then {@code a=simulcast:recv}. */
    static void appendAnswer(StringBuilder b, List<String> rids) {
        if (rids.isEmpty()) {
            return;
        }
        for (String rid : rids) {
            b.append("a=rid:").append(rid).append(" recv\r\n");
        }
        b.append("a=simulcast:recv ").append(String.join(";", rids)).append("\r\n");
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
