package org.steno.server.http;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the end of a signaling session off the thread that noticed it. Jetty reports a failed write (the browser
 * went away) inside {@code sendText}, so the socket's error and close handlers run in whichever thread was sending,
 * and signaling messages are sent under the SFU group's lock (slot changes) and under the meeting's (track events).
 * Ending the session there takes the other lock: two participants leaving at once deadlocked the meeting, and the
 * server could not stop. One thread, in order; it goes away when idle.
 */
final class SignalingCloser implements Executor {

    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "signaling-close");
                t.setDaemon(true);
                return t;
            });

    SignalingCloser() {
        thread.allowCoreThreadTimeOut(true);
    }

    @Override
    public void execute(Runnable close) {
        thread.execute(close);
    }
}
