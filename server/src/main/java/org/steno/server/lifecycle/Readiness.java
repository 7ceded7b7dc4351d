package org.steno.server.lifecycle;

/** Whether a component can serve now, and a human sentence saying why or why not. */
public record Readiness(boolean ready, String detail) {

    public static Readiness ready(String detail) {
        return new Readiness(true, detail);
    }

    public static Readiness notReady(String detail) {
        return new Readiness(false, detail);
    }
}
