package org.steno.conference.signaling;

/**
 * The transport under a signaling session (a WebSocket in the server, a list in tests).
 * Both calls must be non-blocking: they are made under the meeting's lock.
 */
public interface SignalingSender {

    /** Sends one JSON text message. */
    void send(String json);

    /** Closes the connection with a WebSocket close code and a short reason. */
    void close(int code, String reason);
}
