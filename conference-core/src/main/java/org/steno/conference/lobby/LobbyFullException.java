package org.steno.conference.lobby;

/** Too many requests wait at one meeting's door. */
public final class LobbyFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LobbyFullException(String message) {
        super(message);
    }
}
