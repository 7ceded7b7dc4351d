package org.steno.simulator.signal;

/**
 * How a simulated participant reaches a meeting, as the room page does: ask to join (a join token), then open the
 * signaling channel and send that token in its first message. {@link HttpDeployment} is a real deployment over
 * HTTP and WebSocket; tests may wire the signaling in process.
 */
public interface Deployment {

    /** A join token for {@code displayName} in meeting {@code meetingId}; throws with a sentence a person can act on. */
    String join(String meetingId, String displayName) throws SimulationException;

    /** Opens the meeting's signaling channel; {@code events} receives every server message in order. */
    SignalingLink connect(String meetingId, SignalingEvents events) throws SimulationException;

    /** One signaling channel: messages out, in order. */
    interface SignalingLink {
        void send(String json);

        void close();
    }

    /** What the server sends on a signaling channel. */
    interface SignalingEvents {
        void onMessage(String json);

        /** The channel closed: {@code code} as WebSocket close codes, -1 for a transport error. */
        void onClosed(int code, String reason);
    }
}
