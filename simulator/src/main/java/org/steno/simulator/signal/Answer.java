package org.steno.simulator.signal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.steno.conference.media.InvalidSdpException;
import org.steno.conference.media.sdp.SdpParser;
import org.steno.conference.media.sdp.SessionDescription;

/**
 * What a simulated participant needs from the server's SDP answer: the server's ICE credentials and DTLS
 * fingerprint, its host candidates (IPv4: our sockets are IPv4), and the SSRC the server sends on each of our
 * receive slots (mid → SSRC), which is how a received packet is put on its slot.
 */
public record Answer(String iceUfrag, String icePwd, String fingerprint, List<InetSocketAddress> candidates,
                     Map<Long, String> midBySsrc) {

    private static final Pattern CANDIDATE =
            Pattern.compile("a=candidate:\\S+ 1 udp \\d+ (\\d{1,3}(?:\\.\\d{1,3}){3}) (\\d+) typ host");

    /** Parses an answer; a clear {@link IllegalArgumentException} when something a browser needs is missing. */
    public static Answer parse(String sdp) {
        SessionDescription d;
        try {
            d = SdpParser.parse(sdp);
        } catch (InvalidSdpException e) {
            throw new IllegalArgumentException("the server's answer is not valid SDP: " + e.getMessage());
        }
        String ufrag = d.iceUfrag;
        String pwd = d.icePwd;
        String fp = d.fingerprint;
        Map<Long, String> mids = new HashMap<>();
        for (SessionDescription.MediaDescription m : d.media) {
            ufrag = ufrag != null ? ufrag : m.iceUfrag;
            pwd = pwd != null ? pwd : m.icePwd;
            fp = fp != null ? fp : m.fingerprint;
            if (m.port != 0 && (m.direction.equals("sendonly") || m.direction.equals("sendrecv"))) {
                for (Long ssrc : m.ssrcs) {
                    mids.put(ssrc, m.mid);
                }
            }
        }
        if (ufrag == null || pwd == null) {
            throw new IllegalArgumentException("the server's answer has no ice-ufrag/ice-pwd");
        }
        if (fp == null) {
            throw new IllegalArgumentException("the server's answer has no DTLS fingerprint");
        }
        List<InetSocketAddress> candidates = new ArrayList<>();
        Matcher c = CANDIDATE.matcher(sdp);
        while (c.find()) {
            candidates.add(new InetSocketAddress(c.group(1), Integer.parseInt(c.group(2))));
        }
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("the server's answer has no IPv4 host candidate");
        }
        return new Answer(ufrag, pwd, fp, List.copyOf(candidates), Map.copyOf(mids));
    }
}
