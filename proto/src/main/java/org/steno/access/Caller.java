package org.steno.access;

import java.util.Objects;
import java.util.Set;

/**
 * Who is asking. {@code subject} is the authenticated identity, or {@code "anonymous"}.
 *
 * @param subject       stable identity (user id, service name) or "anonymous"
 * @param roles         roles the credentials grant (host, participant, auditor, service…)
 * @param remoteAddress where the request came from, for audit logs
 * @param channel       the kind of entry point the request arrived through
 */
public record Caller(String subject, Set<String> roles, String remoteAddress, Channel channel) {

    public static final String ANONYMOUS = "anonymous";

    public Caller {
        Objects.requireNonNull(subject, "subject");
        roles = Set.copyOf(roles);
        remoteAddress = remoteAddress == null ? "" : remoteAddress;
        Objects.requireNonNull(channel, "channel");
    }

    public static Caller anonymous(String remoteAddress, Channel channel) {
        return new Caller(ANONYMOUS, Set.of(), remoteAddress, channel);
    }

    public boolean isAnonymous() {
        return ANONYMOUS.equals(subject);
    }

    /** The entry points a request can come through. */
    public enum Channel { HTTP, WEBSOCKET, GRPC, CLI }
}
