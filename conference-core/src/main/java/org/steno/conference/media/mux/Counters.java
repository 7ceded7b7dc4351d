package org.steno.conference.media.mux;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Named packet counters for every stage of the media path (jitsi style: in, out, drops by reason). Cheap to bump
 * from any thread; {@link #snapshot()} gives a sorted copy for serving as JSON.
 */
public final class Counters {

    private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();

    public void inc(String name) {
        counter(name).increment();
    }

    public void add(String name, long n) {
        counter(name).add(n);
    }

    public LongAdder counter(String name) {
        LongAdder a = counters.get(name);
        return a != null ? a : counters.computeIfAbsent(name, k -> new LongAdder());
    }

    public long get(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counters.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
