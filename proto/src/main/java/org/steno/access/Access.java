package org.steno.access;

/**
 * The one authorization point. Every HTTP route, WebSocket and gRPC method asks it whether
 * a caller may perform an action on a resource before doing anything else.
 *
 * <p>Callers never decide for themselves: they name what is being done to what, and the
 * implementation (today {@link #allowAll()}, later the security issue's policy) answers.
 * Changing the policy must never require touching an entry point.
 */
@FunctionalInterface
public interface Access {

    Decision check(Caller caller, Action action, Resource resource);

    /** The policy until the security issue lands: everything is allowed, and says so. */
    static Access allowAll() {
        return (caller, action, resource) -> Decision.allow("open policy: no access rules configured");
    }
}
