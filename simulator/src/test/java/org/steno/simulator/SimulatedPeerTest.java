package org.steno.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.steno.simulator.signal.Deployment;

/**
 * A participant's signaling fed by hand: what it offers for the server's targets (absolute, one offer at a time),
 * and bad server messages ending it with a sentence instead of an exception.
 */
class SimulatedPeerTest {

    private final List<String> sent = new ArrayList<>();

    private SimulatedPeer peer() throws Exception {
        SimulatedPeer p = new SimulatedPeer(0, "abc-defg-hij", false, true, 1);
        p.start(new Deployment() {
            @Override
            public String join(String meetingId, String displayName) {
                return "token";
            }

            @Override
            public SignalingLink connect(String meetingId, SignalingEvents events) {
                return new SignalingLink() {
                    @Override
                    public void send(String json) {
                        sent.add(json);
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        }, new org.steno.simulator.media.MediaLoop(1, 1));
        return p;
    }

    @Test
    void targetsAreAbsoluteAndOneOfferIsOutAtATime() throws Exception {
        SimulatedPeer p = peer();
        assertThat(sent.get(0)).contains("\"type\":\"join\"").contains("\"token\":\"token\"");
        p.onMessage("{\"type\":\"joined\",\"participantId\":\"p1\",\"participantCount\":3}");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).contains("\"type\":\"offer\"");
        assertThat(p.receiveSlots("audio")).isEqualTo(2);
        assertThat(p.receiveSlots("video")).isEqualTo(2);
        // Asked for more while the first offer is out: nothing sent until its answer comes.
        p.onMessage("{\"type\":\"renegotiate\",\"audio\":3,\"video\":4}");
        p.onMessage("{\"type\":\"renegotiate\",\"audio\":3,\"video\":4}");
        assertThat(sent).hasSize(2);
        assertThat(p.receiveSlots("audio")).isEqualTo(3);
        assertThat(p.receiveSlots("video")).isEqualTo(4);
        // The same target again, or a smaller one, adds nothing and offers nothing.
        p.onMessage("{\"type\":\"renegotiate\",\"audio\":1,\"video\":1}");
        assertThat(p.receiveSlots("audio")).isEqualTo(3);
        assertThat(p.failure()).isNull();
    }

    @Test
    void badServerMessagesEndTheParticipantWithASentence() throws Exception {
        SimulatedPeer p = peer();
        p.onMessage("{{ not json");
        assertThat(p.failure()).isEqualTo("the server sent a signaling message that is not JSON");

        SimulatedPeer q = peer();
        q.onMessage("{\"type\":\"joined\",\"participantId\":\"p1\",\"participantCount\":2}");
        q.onMessage("{\"type\":\"answer\",\"sdp\":\"v=0\\r\\nnot an answer\"}");
        assertThat(q.failure()).startsWith("the server's answer");

        SimulatedPeer r = peer();
        r.onMessage("{\"type\":\"joined\",\"participantId\":\"p1\",\"participantCount\":2}");
        r.onMessage("{\"type\":\"error\",\"code\":\"bad-sdp\",\"message\":\"no audio m-line\"}");
        assertThat(r.failure()).isEqualTo("the server rejected our offer: bad-sdp: no audio m-line");
        r.onClosed(4401, "bad token");
        assertThat(r.failure()).as("the first reason stays").startsWith("the server rejected our offer");
    }
}
