package org.steno.conference.media;

import java.time.Duration;
import java.util.Objects;

/**
 * How the media plane runs.
 *
 * @param bindHost          address the UDP sockets bind to: a specific one, "0.0.0.0" (a socket on every IPv4 address
 *                          of the host) or "::" (every IPv4 and IPv6 address); replies leave from the socket the
 *                          peer sent to
 * @param port              UDP port for every peer, the same on every address (0 picks a free one; see
 *                          {@link MediaServer#port()})
 * @param advertisedAddress the IP address put in the SDP host candidate (the public address behind NAT), or empty
 *                          to offer every bound address (loopback only when there is no other)
 * @param audioTopN         how many of the loudest speakers' audio each subscriber receives (default 3): each
 *                          subscriber has that many audio receive slots, whatever the meeting's size
 * @param videoLastN        how many participants' video each subscriber receives at most (default 9), chosen by
 *                          screen share, pin and speaker order; a page may ask fewer ({@link Endpoint#limitVideo})
 * @param consentTimeout    an endpoint with no valid STUN check for this long is closed (default 30 s)
 * @param workers           worker threads that drain the per-endpoint queues (default: core count)
 */
public record MediaSettings(String bindHost, int port, String advertisedAddress, int audioTopN, int videoLastN,
                            Duration consentTimeout, int workers) {

    public MediaSettings {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(advertisedAddress, "advertisedAddress");
        Objects.requireNonNull(consentTimeout, "consentTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("media port must be 0..65535, got " + port);
        }
        if (audioTopN < 1) {
            throw new IllegalArgumentException("audioTopN must be at least 1, got " + audioTopN);
        }
        if (videoLastN < 0) {
            throw new IllegalArgumentException("videoLastN must not be negative, got " + videoLastN);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
    }

    /** Defaults: top-3 audio, last-9 video, 30 s consent timeout, one worker per core. */
    public static MediaSettings of(String bindHost, int port, String advertisedAddress) {
        return new MediaSettings(bindHost, port, advertisedAddress, 3, 9, Duration.ofSeconds(30),
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public MediaSettings withAudioTopN(int n) {
        return new MediaSettings(bindHost, port, advertisedAddress, n, videoLastN, consentTimeout, workers);
    }

    public MediaSettings withVideoLastN(int n) {
        return new MediaSettings(bindHost, port, advertisedAddress, audioTopN, n, consentTimeout, workers);
    }

    public MediaSettings withConsentTimeout(Duration d) {
        return new MediaSettings(bindHost, port, advertisedAddress, audioTopN, videoLastN, d, workers);
    }
}
