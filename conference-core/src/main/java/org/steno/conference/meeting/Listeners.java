package org.steno.conference.meeting;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The registry's listeners; one failing listener never stops the others or the caller. */
final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final List<MeetingListener> list = new CopyOnWriteArrayList<>();

    void add(MeetingListener l) {
        list.add(l);
    }

    void remove(MeetingListener l) {
        list.remove(l);
    }

    void fire(Consumer<MeetingListener> event) {
        for (MeetingListener l : list) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("meeting listener {} failed", l, e);
            }
        }
    }
}
