package org.steno.models.kyutai;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket to moshi-server's {@value KyutaiSettings#STREAM_PATH}, on the JDK's client. Frames
 * are reassembled and decoded here and handed to {@link Events} one at a time (the next frame is
 * requested only after the previous one was handed over, so nothing queues without bound); pings are
 * answered by the JDK itself, which is what keeps moshi-server's 20 s receive timeout from firing
 * while we have nothing to send. Sends are chained: the JDK allows one outstanding send at a time.
 */
final class MoshiSocket {

    /** Header moshi-server reads the key from ({@code ID_HEADER} in its {@code main.rs}). */
    static final String API_KEY_HEADER = "kyutai-api-key";
    /** The largest frame accepted: a Step or Word is tens of bytes; anything this big is not moshi-server. */
    static final int MAX_FRAME_BYTES = 1 << 20;

    /** What the server does; called on the JDK client's threads, one call at a time. */
    interface Events {
        /** The upgrade succeeded; called before any message. */
        void onOpen(MoshiSocket socket);

        void onMessage(MoshiMessage message);

        void onBadFrame(MoshiProtocolException problem);

        void onClosed(int code, String reason);

        void onFailed(Throwable error);
    }

    private final WebSocket ws;
    private final long sendTimeoutMs;
    private CompletableFuture<Void> lastSend = CompletableFuture.completedFuture(null);

    private MoshiSocket(WebSocket ws, long sendTimeoutMs) {
        this.ws = ws;
        this.sendTimeoutMs = sendTimeoutMs;
    }

    /**
     * Opens the WebSocket: {@link Events#onOpen} gets the socket before any message; the future fails
     * with the JDK's exception (e.g. WebSocketHandshakeException for a 401).
     */
    static CompletableFuture<Void> open(HttpClient http, KyutaiSettings settings, Events events) {
        long timeoutMs = settings.connectTimeout().toMillis();
        return http.newWebSocketBuilder()
                .connectTimeout(settings.connectTimeout())
                .header(API_KEY_HEADER, settings.apiKey())
                .buildAsync(settings.streamUri(), new Receiver(events, timeoutMs))
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .thenApply(ws -> null);
    }

    /** Queues one binary frame after those already queued; completes when it is written. */
    synchronized CompletableFuture<Void> send(byte[] frame) {
        CompletableFuture<Void> next = lastSend
                .thenCompose(x -> ws.sendBinary(ByteBuffer.wrap(frame), true))
                .orTimeout(sendTimeoutMs, TimeUnit.MILLISECONDS)
                .thenApply(x -> null);
        lastSend = next;
        return next;
    }

    /** A normal close after what is queued; the connection is dropped if the server does not answer. */
    synchronized void close() {
        lastSend.handle((x, err) -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "end of stream"))
                .orTimeout(sendTimeoutMs, TimeUnit.MILLISECONDS)
                .whenComplete((x, err) -> {
                    if (err != null) {
                        ws.abort();
                    }
                });
    }

    /** Drops the connection at once. */
    void abort() {
        ws.abort();
    }

    /** Reassembles frames split by the JDK into whole messages and decodes them. */
    private static final class Receiver implements WebSocket.Listener {
        private final Events events;
        private final long sendTimeoutMs;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private boolean oversized;

        Receiver(Events events, long sendTimeoutMs) {
            this.events = events;
            this.sendTimeoutMs = sendTimeoutMs;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            events.onOpen(new MoshiSocket(webSocket, sendTimeoutMs));
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (!oversized) {
                if (partial.size() + data.remaining() > MAX_FRAME_BYTES) {
                    oversized = true;
                    partial.reset();
                } else {
                    byte[] chunk = new byte[data.remaining()];
                    data.get(chunk);
                    partial.writeBytes(chunk);
                }
            }
            if (last) {
                if (oversized) {
                    events.onBadFrame(new MoshiProtocolException("frame larger than " + MAX_FRAME_BYTES + " bytes"));
                } else {
                    deliver();
                }
                oversized = false;
                partial.reset();
            }
            webSocket.request(1);
            return null;
        }

        private void deliver() {
            MoshiMessage m;
            try {
                m = MoshiCodec.decode(ByteBuffer.wrap(partial.toByteArray()));
            } catch (MoshiProtocolException e) {
                events.onBadFrame(e);
                return;
            }
            events.onMessage(m);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            // moshi-server ignores text frames and never sends any; so do we.
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.onClosed(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.onFailed(error);
        }
    }
}
