package org.steno.subtitles.fanout;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The bounded queue of one viewer, with one message in flight at a time. When it is full, the
 * oldest interim is dropped (a newer revision is on its way anyway); finals and controls are
 * never dropped. A viewer so slow that {@code hardLimit} finals pile up is disconnected:
 * memory stays bounded and nobody silently misses a final line.
 */
final class ViewerQueue {

    /** One queued message. */
    record Item(String segmentId, boolean droppable, String json) {
    }

    private final CaptionViewer viewer;
    private final int capacity;
    private final int hardLimit;
    private final Deque<Item> items = new ArrayDeque<>();
    private boolean inFlight;
    private boolean closed;
    private long droppedInterims;

    ViewerQueue(CaptionViewer viewer, int capacity, int hardLimit) {
        this.viewer = viewer;
        this.capacity = capacity;
        this.hardLimit = hardLimit;
    }

    /** Queues a message and starts sending if idle. */
    void offer(Item item) {
        boolean tooSlow = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (item.droppable() && item.segmentId() != null) {
                // A newer revision of a queued interim replaces it where it stands.
                for (Iterator<Item> it = items.iterator(); it.hasNext(); ) {
                    Item q = it.next();
                    if (q.droppable() && item.segmentId().equals(q.segmentId())) {
                        it.remove();
                        droppedInterims++;
                        break;
                    }
                }
            }
            items.addLast(item);
            while (items.size() > capacity && dropOldestInterim()) {
                droppedInterims++;
            }
            if (items.size() > hardLimit) {
                closed = true;
                tooSlow = true;
                items.clear();
            }
        }
        if (tooSlow) {
            viewer.close("too slow to receive captions; reconnect to get the latest lines");
            return;
        }
        pump();
    }

    private boolean dropOldestInterim() {
        for (Iterator<Item> it = items.iterator(); it.hasNext(); ) {
            if (it.next().droppable()) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    private void pump() {
        Item next;
        synchronized (this) {
            if (inFlight || closed || items.isEmpty()) {
                return;
            }
            next = items.pollFirst();
            inFlight = true;
        }
        viewer.send(next.json(), error -> {
            synchronized (this) {
                inFlight = false;
                if (error != null) {
                    closed = true;
                    items.clear();
                }
            }
            if (error == null) {
                pump();
            }
        });
    }

    synchronized int queued() {
        return items.size();
    }

    synchronized long droppedInterims() {
        return droppedInterims;
    }

    synchronized boolean closed() {
        return closed;
    }

    void close() {
        synchronized (this) {
            closed = true;
            items.clear();
        }
    }
}
