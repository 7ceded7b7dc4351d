package org.steno.models.remote;

/** Whether the remote speech server can take calls now; {@code detail} is one sentence. */
public record RemoteReadiness(boolean ready, String detail) {
}
