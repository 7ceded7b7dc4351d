package org.steno.conference.media.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of an SDP offer the SFU needs (RFC 8866, JSEP/RFC 8829 unified plan). */
public final class SessionDescription {

    public final List<String> bundleMids = new ArrayList<>();
    public String iceUfrag;
    public String icePwd;
    public String fingerprintAlgorithm;
    public String fingerprint;
    public String setup;
    public final List<MediaDescription> media = new ArrayList<>();

    /** One m-line. Session-level ICE/DTLS attributes are copied into media where the media has none. */
    public static final class MediaDescription {
        public String type; // audio, video, application, ...
        public int port;
        public String protocol;
        public final List<Integer> formats = new ArrayList<>();
        public String mid;
        public String direction = "sendrecv";
        public boolean rtcpMux;
        public boolean rtcpRsize;
        public String iceUfrag;
        public String icePwd;
        public String fingerprintAlgorithm;
        public String fingerprint;
        public String setup;
        public final Map<Integer, Codec> codecs = new LinkedHashMap<>();
        public final Map<Integer, String> extmaps = new LinkedHashMap<>(); // id -> uri
        public final List<Long> ssrcs = new ArrayList<>();
        public final List<Long> fidSsrcs = new ArrayList<>(); // RTX (second of each FID pair)
        public String msid;
        /** RFC 4796 {@code a=content} ("slides" marks a screen share), or null. */
        public String content;
        /** RFC 8851 {@code a=rid:<id> <send|recv>} lines, in order: rid → direction. */
        public final Map<String, String> rids = new LinkedHashMap<>();
        /** The raw value of RFC 8853 {@code a=simulcast}, or null. */
        public String simulcast;

        public boolean browserSends() {
            return direction.equals("sendrecv") || direction.equals("sendonly");
        }

        public boolean browserReceives() {
            return direction.equals("sendrecv") || direction.equals("recvonly");
        }

        /** The id of a header extension URI, or -1. */
        public int extensionId(String uri) {
            for (Map.Entry<Integer, String> e : extmaps.entrySet()) {
                if (e.getValue().equals(uri)) {
                    return e.getKey();
                }
            }
            return -1;
        }

        /** The primary SSRC (not RTX): the first a=ssrc that is not the second of an FID group. */
        public long primarySsrc() {
            for (long s : ssrcs) {
                if (!fidSsrcs.contains(s)) {
                    return s;
                }
            }
            return -1;
        }
    }

    /** One rtpmap entry with its fmtp and rtcp-fb lines. */
    public static final class Codec {
        public final int payloadType;
        public final String name;
        public final int clockRate;
        public final int channels;
        public String fmtp;
        public final List<String> feedback = new ArrayList<>();

        public Codec(int payloadType, String name, int clockRate, int channels) {
            this.payloadType = payloadType;
            this.name = name;
            this.clockRate = clockRate;
            this.channels = channels;
        }
    }
}
