package org.steno.server.config;

import java.time.Duration;

/**
 * @param lobbyTimeout   how long a request to join waits for a host ({@code meetings.lobby-timeout})
 * @param endAfterEmpty  grace time after the last person left ({@code meetings.end-after-empty})
 */
public record MeetingSettings(Duration lobbyTimeout, Duration endAfterEmpty) {
}
