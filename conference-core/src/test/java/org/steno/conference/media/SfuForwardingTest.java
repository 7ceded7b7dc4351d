package org.steno.conference.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.steno.conference.media.rtcp.RtcpPacket;
import org.steno.conference.media.rtcp.RtcpWriter;
import org.steno.conference.media.rtp.RtpPacket;

/**
 * The forwarding path end to end over real UDP, DTLS and SRTP, with BouncyCastle DTLS clients standing in for
 * browsers: SSRC/sequence rewriting across the wrap, replays at the socket, NACK from the cache, PLI relay, SR/RR,
 * top-N audio and the dominant speaker, and a DTLS client whose certificate does not match its offer.
 */
class SfuForwardingTest {

    private static void awaitConnected(Endpoint... eps) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        for (Endpoint e : eps) {
            while (!e.isConnected()) {
                if (System.currentTimeMillis() > end) {
                    throw new AssertionError(e + " did not connect");
                }
                Thread.sleep(20);
            }
        }
    }

    private static long slotSsrc(Endpoint subscriber, String sourceParticipant, MediaKind kind) {
        return subscriber.slots().stream()
                .filter(s -> sourceParticipant.equals(s.sourceParticipantId()) && s.kind() == kind)
                .findFirst().orElseThrow().ssrc();
    }

    @Test
    void audioIsRewrittenReplaysDroppedNacksAnsweredAndKeyframesRelayed() throws Exception {
        try (MediaServer m = MediaServer.start("127.0.0.1", 0, "127.0.0.1");
             FakeBrowser a = new FakeBrowser(m, "g", "a", null);
             FakeBrowser b = new FakeBrowser(m, "g", "b", null)) {
            a.connect();
            b.connect();
            awaitConnected(a.endpoint, b.endpoint);
            assertThat(a.profile).isEqualTo(org.steno.conference.media.srtp.SrtpProfile.AEAD_AES_128_GCM);
            long slot = slotSsrc(b.endpoint, "a", MediaKind.AUDIO);

            // a sends 40 packets whose sequence numbers wrap 65535 → 0
            List<byte[]> sent = new ArrayList<>();
            b.loseSeqOnce = -2; // set below once the first rewritten sequence number is known
            for (int i = 0; i < 40; i++) {
                byte[] payload = {(byte) i, 1, 2, 3};
                sent.add(a.sendRtp(FakeBrowser.audioPacket((65516 + i) & 0xFFFF, 960L * i, 20, payload)));
            }
            List<RtpPacket> got = new ArrayList<>();
            byte[] first = b.receive(false, 2000);
            assertThat(first).isNotNull();
            got.add(RtpPacket.parse(first, 0, first.length));
            int lostSeq = (got.get(0).sequenceNumber() + 7) & 0xFFFF;
            b.loseSeqOnce = lostSeq; // the network loses the 8th packet on its way to b
            for (int i = 1; i < 40; i++) {
                if (i == 7) {
                    got.add(null);
                    continue;
                }
                byte[] p = b.receive(false, 2000);
                assertThat(p).as("packet %d forwarded", i).isNotNull();
                got.add(RtpPacket.parse(p, 0, p.length));
            }
            for (int i = 0; i < 40; i++) {
                if (i == 7) {
                    continue;
                }
                RtpPacket p = got.get(i);
                assertThat(p.ssrc()).isEqualTo(slot);
                assertThat(p.payload()).containsExactly((byte) i, 1, 2, 3);
                assertThat(p.sequenceNumber()).isEqualTo((got.get(0).sequenceNumber() + i) & 0xFFFF);
                assertThat((p.timestamp() - got.get(0).timestamp()) & 0xFFFFFFFFL).isEqualTo(960L * i);
                assertThat(p.stringExtension(FakeBrowser.MID_EXT)).isIn("0", "2"); // b's audio slot mids
                assertThat(p.audioLevel(FakeBrowser.LEVEL_EXT)).isEqualTo(20);
            }

            // replayed datagrams at the socket are refused by SRTP and not forwarded
            long replaysBefore = m.counters().getOrDefault("srtp.drop.replay", 0L);
            for (int i = 0; i < 5; i++) {
                a.stun.send(sent.get(i));
            }
            Thread.sleep(300);
            assertThat(m.counters().get("srtp.drop.replay")).isEqualTo(replaysBefore + 5);
            assertThat(b.receive(false, 300)).isNull();

            // NACK from b is answered from the down-track cache with the identical packet
            b.sendRtcp(RtcpWriter.nack(99, slot, List.of(lostSeq)));
            byte[] again = b.receive(false, 2000);
            assertThat(again).isNotNull();
            RtpPacket re = RtpPacket.parse(again, 0, again.length);
            assertThat(re.sequenceNumber()).isEqualTo(lostSeq);
            assertThat(re.payload()).containsExactly((byte) 7, 1, 2, 3);
            assertThat(m.counters().get("sfu.nack.hit")).isEqualTo(1);

            // PLI from b on its video slot reaches a, naming a's video SSRC (after the 500 ms rate limit)
            Thread.sleep(600);
            long videoSlot = slotSsrc(b.endpoint, "a", MediaKind.VIDEO);
            b.sendRtcp(RtcpWriter.pli(99, videoSlot));
            long aVideoSsrc = a.endpoint.tracks().stream().filter(t -> t.kind() == MediaKind.VIDEO).count() == 1
                    ? videoSsrcOf(SdpTestAccess.offer()) : -1;
            boolean pliSeen = false;
            boolean rrSeen = false;
            long end = System.currentTimeMillis() + 3000;
            while (System.currentTimeMillis() < end && !(pliSeen && rrSeen)) {
                byte[] rtcp = a.receive(true, 500);
                if (rtcp == null) {
                    continue;
                }
                for (RtcpPacket p : RtcpPacketAccess.parse(rtcp)) {
                    if (p instanceof RtcpPacket.Pli pli && pli.mediaSsrc() == aVideoSsrc) {
                        pliSeen = true;
                    }
                    if (p instanceof RtcpPacket.ReceiverReport rr && rr.blocks().stream()
                            .anyMatch(bl -> bl.ssrc() == FakeBrowser.AUDIO_SSRC && bl.highestSeq() >= 65536)) {
                        rrSeen = true; // extended highest sequence number counted the wrap
                    }
                }
            }
            assertThat(pliSeen).as("PLI relayed to the publisher").isTrue();
            assertThat(rrSeen).as("receiver report to the publisher").isTrue();

            // and b gets sender reports for its audio slot
            boolean srSeen = false;
            end = System.currentTimeMillis() + 2500;
            while (System.currentTimeMillis() < end && !srSeen) {
                byte[] rtcp = b.receive(true, 500);
                if (rtcp != null) {
                    srSeen = RtcpPacketAccess.parse(rtcp).stream()
                            .anyMatch(p -> p instanceof RtcpPacket.SenderReport sr && sr.senderSsrc() == slot
                                    && sr.packetCount() == 40);
                }
            }
            assertThat(srSeen).as("sender report for the rewritten stream").isTrue();
        }
    }

    @Test
    void onlyTheTopNLoudestAreForwardedAndTheDominantSpeakerIsTheLoudest() throws Exception {
        List<String> dominant = new CopyOnWriteArrayList<>();
        MediaSettings s = MediaSettings.of("127.0.0.1", 0, "127.0.0.1").withAudioTopN(1);
        try (MediaServer m = MediaServer.start(s);
             FakeBrowser quiet = new FakeBrowser(m, "g", "quiet", null);
             FakeBrowser loud = new FakeBrowser(m, "g", "loud", null);
             FakeBrowser listener = new FakeBrowser(m, "g", "listener", null)) {
            m.addListener(new MediaListener() {
                @Override
                public void onDominantSpeaker(String groupId, String participantId) {
                    dominant.add(participantId);
                }
            });
            quiet.connect();
            loud.connect();
            listener.connect();
            awaitConnected(loud.endpoint, quiet.endpoint, listener.endpoint);
            // top-1 on two audio slots: one slot carries a source, the other stays free. Before anyone speaks it
            // is the first joiner (quiet); once the loud one speaks, the same slot switches to it.
            List<SlotAssignment> audioSlots = listener.endpoint.slots().stream()
                    .filter(x -> x.kind() == MediaKind.AUDIO).toList();
            assertThat(audioSlots).extracting(SlotAssignment::sourceParticipantId).containsExactlyInAnyOrder("quiet", null);
            long slot = audioSlots.stream().filter(x -> x.sourceParticipantId() != null).findFirst().orElseThrow().ssrc();
            for (int i = 0; i < 75; i++) { // 1.5 s of 20 ms packets
                loud.sendRtp(FakeBrowser.audioPacket(i, 960L * i, 15, new byte[] {1}));
                quiet.sendRtp(FakeBrowser.audioPacket(i, 960L * i, 90, new byte[] {2}));
                Thread.sleep(20);
            }
            int fromLoud = 0;
            int fromQuietLate = 0;
            int n = 0;
            byte[] p;
            java.util.SortedSet<Integer> seqs = new java.util.TreeSet<>();
            while ((p = listener.receive(false, 300)) != null) {
                RtpPacket rtp = RtpPacket.parse(p, 0, p.length);
                assertThat(rtp.ssrc()).as("one slot, one SSRC, whoever it carries").isEqualTo(slot);
                seqs.add(rtp.sequenceNumber()); // starts below 30001: no wrap in 150 packets
                n++;
                if (rtp.payload()[0] == 1) {
                    fromLoud++;
                } else if (n > 30) {
                    fromQuietLate++; // before the first ranking the first joiner holds the slot
                }
            }
            assertThat(fromLoud).isGreaterThan(50);
            assertThat(fromQuietLate).isZero();
            assertThat(seqs.last() - seqs.first() + 1).as("sequence numbers without a gap across the switch")
                    .isEqualTo(seqs.size()).isEqualTo(n);
            assertThat(m.counters().get("sfu.slot.switch.audio")).isPositive();
            assertThat(listener.endpoint.slots()).filteredOn(x -> x.kind() == MediaKind.AUDIO)
                    .extracting(SlotAssignment::sourceParticipantId).containsExactlyInAnyOrder("loud", null);
            assertThat(m.dominantSpeaker("g")).isEqualTo("loud");
            assertThat(dominant).containsExactly("loud");
        }
    }

    @Test
    void aVideoSlotSwitchesToANewDominantSpeakerAndAsksItForAKeyframe() throws Exception {
        MediaSettings s = MediaSettings.of("127.0.0.1", 0, "127.0.0.1").withVideoLastN(1);
        try (MediaServer m = MediaServer.start(s);
             FakeBrowser first = new FakeBrowser(m, "g", "first", null);
             FakeBrowser speaker = new FakeBrowser(m, "g", "speaker", null);
             FakeBrowser listener = new FakeBrowser(m, "g", "listener", null)) {
            first.connect();
            speaker.connect();
            listener.connect();
            awaitConnected(first.endpoint, speaker.endpoint, listener.endpoint);
            // last-1: the listener's one video slot shows the first joiner; its other video m-line stays free
            assertThat(listener.endpoint.slots()).filteredOn(x -> x.kind() == MediaKind.VIDEO)
                    .extracting(SlotAssignment::sourceParticipantId).containsExactlyInAnyOrder("first", null);
            long speakerVideo = videoSsrcOf(SdpTestAccess.offer());
            Thread.sleep(700); // past the keyframe requests of connecting (one per 500 ms per track)
            while (speaker.receive(true, 100) != null) {
                // drain them
            }
            long plisBefore = m.counters().getOrDefault("sfu.tx.pli", 0L);
            for (int i = 0; i < 50; i++) { // 1 s of speech: the speaker becomes dominant
                speaker.sendRtp(FakeBrowser.audioPacket(i, 960L * i, 10, new byte[] {1}));
                Thread.sleep(20);
            }
            long until = System.currentTimeMillis() + 3000;
            while (System.currentTimeMillis() < until && listener.endpoint.slots().stream()
                    .noneMatch(x -> x.kind() == MediaKind.VIDEO && "speaker".equals(x.sourceParticipantId()))) {
                Thread.sleep(50);
            }
            assertThat(listener.endpoint.slots()).filteredOn(x -> x.kind() == MediaKind.VIDEO)
                    .extracting(SlotAssignment::sourceParticipantId).containsExactlyInAnyOrder("speaker", null);
            boolean pli = false;
            long end = System.currentTimeMillis() + 3000;
            while (!pli && System.currentTimeMillis() < end) {
                byte[] rtcp = speaker.receive(true, 200);
                if (rtcp != null) {
                    pli = RtcpPacketAccess.parse(rtcp).stream()
                            .anyMatch(x -> x instanceof RtcpPacket.Pli q && q.mediaSsrc() == speakerVideo);
                }
            }
            assertThat(pli).as("PLI to the source the slot switched to").isTrue();
            assertThat(m.counters().get("sfu.tx.pli")).isGreaterThan(plisBefore);
            assertThat(m.counters().get("sfu.slot.switch.video")).isPositive();
        }
    }

    @Test
    void aDtlsClientWhoseCertificateDoesNotMatchTheOfferIsRefused() throws Exception {
        List<String> closed = new CopyOnWriteArrayList<>();
        try (MediaServer m = MediaServer.start("127.0.0.1", 0, "127.0.0.1")) {
            m.addListener(new MediaListener() {
                @Override
                public void onEndpointClosed(Endpoint endpoint, String reason) {
                    closed.add(reason);
                }
            });
            String otherFingerprint = org.steno.conference.media.dtls.DtlsCertificate.generate().fingerprint();
            try (FakeBrowser impostor = new FakeBrowser(m, "g", "impostor", otherFingerprint)) {
                assertThatThrownBy(impostor::connect).isInstanceOf(java.io.IOException.class);
                long end = System.currentTimeMillis() + 3000;
                while (closed.isEmpty() && System.currentTimeMillis() < end) {
                    Thread.sleep(20);
                }
                assertThat(closed).containsExactly("dtls-failed");
                assertThat(impostor.endpoint.isConnected()).isFalse();
            }
        }
    }

    @Test
    void aStalledHandshakeDoesNotDelayOtherPeers() throws Exception {
        try (MediaServer m = MediaServer.start("127.0.0.1", 0, "127.0.0.1");
             FakeBrowser staller = new FakeBrowser(m, "g", "staller", null);
             FakeBrowser normal = new FakeBrowser(m, "g", "normal", null)) {
            assertThat(staller.stun.check()).isNotNull();
            // an application-data record in epoch 0: BouncyCastle ignores it and keeps waiting for a ClientHello
            staller.stun.send(java.util.HexFormat.of().parseHex("17fefd00000000000000010004deadbeef"));
            Thread.sleep(200);
            long t0 = System.nanoTime();
            normal.connect();
            awaitConnected(normal.endpoint);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to connect beside a stalled handshake")
                    .isLessThan(5000);
            assertThat(staller.endpoint.isConnected()).isFalse();
        }
    }

    private static long videoSsrcOf(String offer) {
        int video = offer.indexOf("m=video");
        java.util.regex.Matcher mm = java.util.regex.Pattern.compile("a=ssrc-group:FID (\\d+)")
                .matcher(offer.substring(video));
        return mm.find() ? Long.parseLong(mm.group(1)) : -1;
    }

    /** Small bridges to package-private helpers. */
    static final class SdpTestAccess {
        static String offer() throws java.io.IOException {
            return org.steno.conference.media.sdp.SdpTest.chromiumOffer();
        }
    }

    static final class RtcpPacketAccess {
        static List<RtcpPacket> parse(byte[] b) {
            return RtcpPacket.parseCompound(b, 0, b.length);
        }
    }
}
