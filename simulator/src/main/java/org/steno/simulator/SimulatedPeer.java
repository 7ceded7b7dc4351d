package org.steno.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.steno.simulator.media.MediaLoop;
import org.steno.simulator.media.PeerMedia;
import org.steno.simulator.signal.Answer;
import org.steno.simulator.signal.Deployment;
import org.steno.simulator.signal.OfferBuilder;
import org.steno.simulator.signal.SimulationException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One simulated participant's signaling, as room.js and receive-slots.js do it: join, a first offer with receive
 * slots guessed from the participant count, then recvonly slots added up to each {@code renegotiate} target
 * (absolute: only what is missing) and offered again, one offer at a time; the first answer starts the media.
 * A participant that does not talk mutes its microphone, as a quiet browser does.
 */
final class SimulatedPeer implements Deployment.SignalingEvents {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int MAX_AUDIO = 3;
    static final int MAX_VIDEO = 9;

    final int index;
    final String name;
    final boolean talker;
    final boolean camera;
    final PeerMedia media;
    private final OfferBuilder offers;
    private final String meetingId;
    private Deployment.SignalingLink link;

    // signaling state, guarded by this
    private final List<String> receivers = new ArrayList<>();
    private String participantId;
    private boolean offerOut;
    private boolean again;
    private boolean answered;
    private long version = 1;
    private boolean leaving;
    private String failure;
    private final List<String> errors = new ArrayList<>();
    int offersSent;
    int largestOfferBytes;
    int largestMessageBytes;

    SimulatedPeer(int index, String meetingId, boolean talker, boolean camera, int verifyEvery) throws IOException {
        this.index = index;
        this.name = String.format("Sim %03d", index + 1);
        this.meetingId = meetingId;
        this.talker = talker;
        this.camera = camera;
        this.media = new PeerMedia(name, talker, camera, verifyEvery);
        this.offers = new OfferBuilder(media.ufrag, media.pwd, media.certificate.fingerprint(), "sim" + index,
                media.audioSsrc, media.videoSsrc, camera);
    }

    /** Joins (blocking HTTP, on the caller's thread) and opens signaling; failures end up in {@link #failure()}. */
    void start(Deployment deployment, MediaLoop loop) {
        try {
            String token = deployment.join(meetingId, name);
            loop.add(media);
            Deployment.SignalingLink l = deployment.connect(meetingId, this);
            synchronized (this) {
                link = l;
            }
            ObjectNode join = JSON.createObjectNode();
            join.put("type", "join");
            join.put("token", token);
            join.put("maxVideo", MAX_VIDEO);
            l.send(join.toString());
        } catch (SimulationException e) {
            fail(e.getMessage());
        } catch (RuntimeException e) {
            fail("joining failed: " + e);
        }
    }

    synchronized void fail(String why) {
        if (failure == null && !leaving) {
            failure = why;
        }
    }

    synchronized String failure() {
        if (failure != null) {
            return failure;
        }
        if (media.state() == PeerMedia.State.FAILED) {
            return media.failure();
        }
        return null;
    }

    synchronized String participantId() {
        return participantId;
    }

    synchronized boolean answered() {
        return answered;
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    synchronized int receiveSlots(String kind) {
        return (int) receivers.stream().filter(kind::equals).count();
    }

    @Override
    public void onMessage(String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JacksonException e) {
            fail("the server sent a signaling message that is not JSON");
            return;
        }
        synchronized (this) {
            largestMessageBytes = Math.max(largestMessageBytes, json.getBytes(StandardCharsets.UTF_8).length);
            String type = n.path("type").asString("");
            switch (type) {
                case "joined" -> {
                    participantId = n.path("participantId").asString(null);
                    int others = Math.max(n.path("participantCount").asInt(1) - 1, 1);
                    reach(Math.min(others, MAX_AUDIO), Math.min(others, MAX_VIDEO));
                    offer();
                }
                case "answer" -> onAnswer(n.path("sdp").asString(""));
                case "renegotiate" -> {
                    if (reach(n.path("audio").asInt(0), n.path("video").asInt(0)) > 0) {
                        if (offerOut) {
                            again = true;
                        } else {
                            offer();
                        }
                    }
                }
                case "slots" -> {
                    Map<String, String> byMid = new HashMap<>();
                    for (JsonNode s : n.path("slots")) {
                        if (s.path("participantId").isString()) {
                            byMid.put(s.path("mid").asString(), s.path("participantId").asString());
                        }
                    }
                    media.slots(byMid);
                }
                case "error" -> {
                    errors.add(n.path("code").asString("?") + ": " + n.path("message").asString(""));
                    if (offerOut) {
                        // No answer will come for this offer (bad-sdp, not-ready): it is this participant's end.
                        fail("the server rejected our offer: " + n.path("code").asString("?") + ": "
                                + n.path("message").asString(""));
                    }
                }
                case "meeting-ended" -> fail("the meeting ended");
                default -> {
                    // roster, participant and track events, dominant speaker, pong: nothing to do for media
                }
            }
        }
    }

    private int reach(int audio, int video) {
        int added = 0;
        for (int i = receiveSlots("audio"); i < Math.min(audio, MAX_AUDIO); i++, added++) {
            receivers.add("audio");
        }
        for (int i = receiveSlots("video"); i < Math.min(video, MAX_VIDEO); i++, added++) {
            receivers.add("video");
        }
        return added;
    }

    private void offer() {
        String sdp = offers.build(receivers, version++);
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "offer");
        o.put("sdp", sdp);
        o.put("maxVideo", MAX_VIDEO);
        String msg = o.toString();
        largestOfferBytes = Math.max(largestOfferBytes, msg.getBytes(StandardCharsets.UTF_8).length);
        offersSent++;
        offerOut = true;
        link.send(msg);
    }

    private void onAnswer(String sdp) {
        offerOut = false;
        Answer a;
        try {
            a = Answer.parse(sdp);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        if (!answered) {
            answered = true;
            media.start(a);
            if (!talker) {
                link.send("{\"type\":\"mute\",\"kind\":\"audio\",\"muted\":true}");
            }
        } else {
            media.update(a);
        }
        if (again) {
            again = false;
            offer();
        }
    }

    @Override
    public void onClosed(int code, String reason) {
        fail("the server closed signaling: " + code + (reason == null || reason.isBlank() ? "" : " " + reason));
    }

    /** Leaves as the page does: a leave message, the socket closed, the media socket closed. */
    void leave() {
        Deployment.SignalingLink l;
        synchronized (this) {
            leaving = true;
            l = link;
        }
        if (l != null) {
            l.send("{\"type\":\"leave\"}");
            l.close();
        }
        media.close();
    }
}
