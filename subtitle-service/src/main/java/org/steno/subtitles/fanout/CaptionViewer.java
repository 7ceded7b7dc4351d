package org.steno.subtitles.fanout;

import java.util.function.Consumer;

/**
 * One browser (or any client) watching a meeting's captions, as the transport sees it. The
 * fan-out core never blocks on a viewer: {@link #send} must return at once and report
 * completion through {@code done} (null on success), so a slow client only fills its own queue.
 */
public interface CaptionViewer {

    /** Sends one text message (a CaptionEvent or CaptionControl in protobuf JSON). */
    void send(String json, Consumer<Throwable> done);

    /** Closes the connection, telling the client why in one sentence. */
    void close(String reason);
}
