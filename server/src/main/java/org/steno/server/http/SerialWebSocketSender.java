package org.steno.server.http;

import io.javalin.websocket.WsContext;
import java.util.ArrayDeque;
import java.util.Deque;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes text messages to one WebSocket one at a time, in order. Jetty refuses a write while
 * another is pending on the same socket, and signaling messages come from several threads at
 * once (the media plane, the registry, the socket's own handler): without this, messages were
 * lost under load (a participant never learned of another's tracks). A peer that stops reading
 * cannot grow the queue without bound: past {@link #MAX_QUEUED} the socket is closed.
 */
public final class SerialWebSocketSender {

    private static final Logger LOG = LoggerFactory.getLogger(SerialWebSocketSender.class);

    /** About a minute of signaling at its busiest (dominant-speaker changes); far beyond any healthy client. */
    static final int MAX_QUEUED = 1000;
    static final int CLOSE_TOO_SLOW = 1008;

    private final WsContext ctx;
    private final Deque<String> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean closed;

    public SerialWebSocketSender(WsContext ctx) {
        this.ctx = ctx;
    }

    public void send(String text) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue.size() >= MAX_QUEUED) {
                closed = true;
                queue.clear();
                LOG.warn("closing a WebSocket whose client stopped reading ({} messages queued)", MAX_QUEUED);
                ctx.session.close(CLOSE_TOO_SLOW, "client too slow to read", Callback.NOOP);
                return;
            }
            queue.addLast(text);
            if (writing) {
                return;
            }
            writing = true;
        }
        writeNext();
    }

    private void writeNext() {
        String next;
        synchronized (this) {
            next = closed ? null : queue.pollFirst();
            if (next == null) {
                writing = false;
                return;
            }
        }
        if (!ctx.session.isOpen()) {
            synchronized (this) {
                closed = true;
                queue.clear();
                writing = false;
            }
            return;
        }
        ctx.session.sendText(next, Callback.from(this::writeNext, failure -> {
            LOG.debug("WebSocket write failed: {}", failure.toString());
            synchronized (this) {
                closed = true;
                queue.clear();
                writing = false;
            }
        }));
    }
}
