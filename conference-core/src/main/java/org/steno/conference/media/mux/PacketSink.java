package org.steno.conference.media.mux;

/** Something that accepts items without blocking. */
public interface PacketSink<T> {
    void offer(T item);
}
