package org.steno.conference.media;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.steno.conference.media.stun.StunBuilder;
import org.steno.conference.media.stun.StunMessage;

/** A test peer that does what Chromium's ICE agent does against an ICE-lite server: binding requests. */
final class StunClient implements AutoCloseable {

    final DatagramSocket socket;
    final InetSocketAddress server;
    final String serverUfrag;
    final String serverPwd;
    final String clientUfrag;
    /** Where the last STUN response came from: it must be {@link #server}, or Chromium would ignore it. */
    volatile InetSocketAddress lastResponseFrom;

    StunClient(int serverPort, String answerSdp, String clientUfrag) throws Exception {
        this(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", serverPort), answerSdp,
                clientUfrag);
    }

    /** A client on {@code local} (a specific address of this host, as a browser's host candidate) checking {@code server}. */
    StunClient(InetSocketAddress local, InetSocketAddress server, String answerSdp, String clientUfrag)
            throws Exception {
        this.socket = new DatagramSocket(local);
        socket.setSoTimeout(2000);
        this.server = server;
        this.serverUfrag = attr(answerSdp, "ice-ufrag");
        this.serverPwd = attr(answerSdp, "ice-pwd");
        this.clientUfrag = clientUfrag;
    }

    static String attr(String sdp, String name) {
        Matcher m = Pattern.compile("a=" + name + ":(\\S+)").matcher(sdp);
        if (!m.find()) {
            throw new AssertionError("no a=" + name + " in answer");
        }
        return m.group(1);
    }

    byte[] bindingRequest(boolean useCandidate, String password) {
        byte[] tid = new byte[12];
        new SecureRandom().nextBytes(tid);
        StunBuilder b = new StunBuilder(StunMessage.BINDING_REQUEST, tid)
                .string(StunMessage.ATTR_USERNAME, serverUfrag + ":" + clientUfrag)
                .u32(StunMessage.ATTR_PRIORITY, 2130706431L)
                .attribute(StunMessage.ATTR_ICE_CONTROLLING, new byte[8]);
        if (useCandidate) {
            b.attribute(StunMessage.ATTR_USE_CANDIDATE, new byte[0]);
        }
        return b.integrity(password.getBytes(StandardCharsets.UTF_8)).fingerprint();
    }

    void send(byte[] data) throws Exception {
        socket.send(new DatagramPacket(data, data.length, server));
    }

    /** Sends a valid check and returns the verified response, or null if none came. */
    StunMessage check() throws Exception {
        send(bindingRequest(true, serverPwd));
        return receiveStun();
    }

    StunMessage receiveStun() throws Exception {
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        long end = System.currentTimeMillis() + 2000;
        while (System.currentTimeMillis() < end) {
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            if (StunMessage.looksLikeStun(buf, 0, p.getLength())) {
                byte[] copy = java.util.Arrays.copyOf(buf, p.getLength());
                StunMessage m = StunMessage.parse(copy, 0, copy.length);
                if (!m.checkFingerprint() || !m.checkIntegrity(serverPwd.getBytes(StandardCharsets.UTF_8))) {
                    throw new AssertionError("response fails FINGERPRINT or MESSAGE-INTEGRITY");
                }
                lastResponseFrom = (InetSocketAddress) p.getSocketAddress();
                return m;
            }
        }
        return null;
    }

    @Override
    public void close() {
        socket.close();
    }
}
