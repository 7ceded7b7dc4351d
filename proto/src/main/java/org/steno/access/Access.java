package org.steno.access;

/**
 * The one authorization point. Every HTTP route, WebSocket and gRPC method asks it whether
 * a caller may perform an action on a resource before doing anything else.
 *
 * <p>Callers never decide for themselves: they name what is being done to what, and the
 * implementation (the server's deny-by-default {@code StenoPolicy}) answers.
 * Changing the policy must never require touching an entry point.
 */
@FunctionalInterface
public interface Access {

    Decision check(Caller caller, Action action, Resource resource);

    /** Allows everything and says so: for tests of something other than access, never a running process. */
    static Access allowAll() {
        return (caller, action, resource) -> Decision.allow("open policy: no access rules configured");
    }
}
