package org.steno.server.lifecycle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts components in the order given and stops them in reverse. If one fails to start,
 * those already started are stopped before the failure is rethrown, so a failed start
 * leaves no port bound.
 */
public final class Components implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Components.class);

    private final List<Component> all;
    private final Deque<Component> started = new ArrayDeque<>();

    public Components(List<Component> components) {
        this.all = List.copyOf(components);
    }

    public synchronized void start() throws Exception {
        for (Component c : all) {
            long t0 = System.nanoTime();
            try {
                c.start();
            } catch (Exception e) {
                LOG.error("component {} failed to start: {}", c.name(), e.getMessage());
                close();
                throw e;
            }
            started.push(c);
            LOG.info("component {} started in {} ms", c.name(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Stops in reverse start order; one component's failure to stop never prevents the others. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            Component c = started.pop();
            try {
                c.stop();
                LOG.info("component {} stopped", c.name());
            } catch (RuntimeException e) {
                LOG.warn("component {} did not stop cleanly: {}", c.name(), e.toString());
            }
        }
    }

    public List<Component> all() {
        return all;
    }

    /** Readiness of every component, in start order; a component that throws reports not ready. */
    public Map<String, Readiness> readiness() {
        Map<String, Readiness> out = new LinkedHashMap<>();
        for (Component c : all) {
            Readiness r;
            try {
                r = c.readiness();
            } catch (RuntimeException e) {
                r = Readiness.notReady("readiness check failed: " + e);
            }
            out.put(c.name(), r);
        }
        return out;
    }

    public List<String> names() {
        List<String> names = new ArrayList<>();
        all.forEach(c -> names.add(c.name()));
        return names;
    }
}
