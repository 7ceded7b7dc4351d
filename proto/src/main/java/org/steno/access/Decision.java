package org.steno.access;

/**
 * The answer to an access check. {@code reason} is for logs and, when denied, for the caller:
 * it must say what is missing ("only the host may start a recording"), never internals.
 */
public record Decision(boolean allowed, String reason) {

    public static Decision allow(String reason) {
        return new Decision(true, reason);
    }

    public static Decision deny(String reason) {
        return new Decision(false, reason);
    }
}
