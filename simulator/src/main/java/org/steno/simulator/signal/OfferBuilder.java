package org.steno.simulator.signal;

/**
 * An SDP offer like the room page's in Chromium 156: one sendonly audio m-line (Opus, with the ssrc-audio-level
 * and mid header extensions), a sendonly VP8 m-line when the participant has a camera, then the recvonly receive
 * slots the server asked for (audio with level + mid, video with mid only: what the page keeps). BUNDLE,
 * rtcp-mux, our ICE credentials and DTLS fingerprint, {@code setup:actpass} (the server answers passive, so we
 * are the DTLS client).
 */
public final class OfferBuilder {

    public static final int OPUS_PT = 111;
    public static final int VP8_PT = 96;
    public static final int EXT_AUDIO_LEVEL = 1;
    public static final int EXT_MID = 4;
    public static final String AUDIO_MID = "0";
    public static final String VIDEO_MID = "1";

    private final String ufrag;
    private final String pwd;
    private final String fingerprint;
    private final String cname;
    private final long audioSsrc;
    private final long videoSsrc;
    private final boolean camera;

    public OfferBuilder(String ufrag, String pwd, String fingerprint, String cname, long audioSsrc, long videoSsrc,
                        boolean camera) {
        this.ufrag = ufrag;
        this.pwd = pwd;
        this.fingerprint = fingerprint;
        this.cname = cname;
        this.audioSsrc = audioSsrc;
        this.videoSsrc = videoSsrc;
        this.camera = camera;
    }

    /** The mid of the {@code index}-th receive slot (0-based): after our own one or two sending m-lines. */
    public String receiveMid(int index) {
        return Integer.toString((camera ? 2 : 1) + index);
    }

    /** An offer with {@code audioSlots} then {@code videoSlots} receive m-lines, in the order they were added. */
    public String build(java.util.List<String> receiveKinds, long sessionVersion) {
        StringBuilder mids = new StringBuilder(AUDIO_MID);
        StringBuilder body = new StringBuilder(1024 + 500 * receiveKinds.size());
        audio(body, AUDIO_MID, "sendonly");
        body.append("a=msid:sim audio\r\n");
        body.append("a=ssrc:").append(audioSsrc).append(" cname:").append(cname).append("\r\n");
        body.append("a=ssrc:").append(audioSsrc).append(" msid:sim audio\r\n");
        if (camera) {
            mids.append(' ').append(VIDEO_MID);
            video(body, VIDEO_MID, "sendonly");
            body.append("a=msid:sim video\r\n");
            body.append("a=ssrc:").append(videoSsrc).append(" cname:").append(cname).append("\r\n");
            body.append("a=ssrc:").append(videoSsrc).append(" msid:sim video\r\n");
        }
        for (int i = 0; i < receiveKinds.size(); i++) {
            String mid = receiveMid(i);
            mids.append(' ').append(mid);
            if (receiveKinds.get(i).equals("audio")) {
                audio(body, mid, "recvonly");
            } else {
                video(body, mid, "recvonly");
            }
        }
        return "v=0\r\n"
                + "o=- 4611731400430051336 " + sessionVersion + " IN IP4 127.0.0.1\r\n"
                + "s=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE " + mids + "\r\n"
                + "a=extmap-allow-mixed\r\n"
                + "a=msid-semantic: WMS sim\r\n"
                + body;
    }

    private void common(StringBuilder b, String kind, int pt, String mid) {
        b.append("m=").append(kind).append(" 9 UDP/TLS/RTP/SAVPF ").append(pt).append("\r\n");
        b.append("c=IN IP4 0.0.0.0\r\n");
        b.append("a=rtcp:9 IN IP4 0.0.0.0\r\n");
        b.append("a=ice-ufrag:").append(ufrag).append("\r\n");
        b.append("a=ice-pwd:").append(pwd).append("\r\n");
        b.append("a=ice-options:trickle\r\n");
        b.append("a=fingerprint:sha-256 ").append(fingerprint).append("\r\n");
        b.append("a=setup:actpass\r\n");
        b.append("a=mid:").append(mid).append("\r\n");
    }

    private void audio(StringBuilder b, String mid, String direction) {
        common(b, "audio", OPUS_PT, mid);
        b.append("a=extmap:").append(EXT_AUDIO_LEVEL).append(" urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n");
        b.append("a=extmap:").append(EXT_MID).append(" urn:ietf:params:rtp-hdrext:sdes:mid\r\n");
        b.append("a=").append(direction).append("\r\n");
        b.append("a=rtcp-mux\r\na=rtcp-rsize\r\n");
        b.append("a=rtpmap:").append(OPUS_PT).append(" opus/48000/2\r\n");
        b.append("a=fmtp:").append(OPUS_PT).append(" minptime=10;useinbandfec=1\r\n");
    }

    private void video(StringBuilder b, String mid, String direction) {
        common(b, "video", VP8_PT, mid);
        b.append("a=extmap:").append(EXT_MID).append(" urn:ietf:params:rtp-hdrext:sdes:mid\r\n");
        b.append("a=").append(direction).append("\r\n");
        b.append("a=rtcp-mux\r\na=rtcp-rsize\r\n");
        b.append("a=rtpmap:").append(VP8_PT).append(" VP8/90000\r\n");
        b.append("a=rtcp-fb:").append(VP8_PT).append(" ccm fir\r\n");
        b.append("a=rtcp-fb:").append(VP8_PT).append(" nack\r\n");
        b.append("a=rtcp-fb:").append(VP8_PT).append(" nack pli\r\n");
    }
}
