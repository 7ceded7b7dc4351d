package org.steno.server.roles;

import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;

/**
 * A role whose engine is not built yet. It starts, stops and reports exactly that in
 * {@code /readyz}, so operators see which parts of the product a process runs.
 */
final class PendingRole implements Component {

    private final String name;
    private final String arrivesWith;
    private volatile boolean started;

    PendingRole(String name, String arrivesWith) {
        this.name = name;
        this.arrivesWith = arrivesWith;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        started = true;
    }

    @Override
    public void stop() {
        started = false;
    }

    @Override
    public Readiness readiness() {
        return started ? Readiness.ready("role started; " + arrivesWith) : Readiness.notReady("not started");
    }
}
