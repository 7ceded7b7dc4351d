package org.steno.models.kyutai;

import io.grpc.Status;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The statuses our callers get for what moshi-server does, each one sentence naming the server (never
 * the key). The codes follow the Transcriber contract: RESOURCE_EXHAUSTED when every batch slot is
 * taken (retry with backoff), UNAVAILABLE for a server that is down, refuses our key, breaks the
 * protocol or drops the stream (retry; the pipeline sends the unconfirmed audio again).
 */
final class KyutaiErrors {

    private KyutaiErrors() {
    }

    static Status noFreeChannel(KyutaiSettings s) {
        return Status.RESOURCE_EXHAUSTED.withDescription("Kyutai server " + s.where()
                + " has no free channel (all its batch slots are taken); retry with backoff");
    }

    static Status serverError(KyutaiSettings s, String message) {
        return Status.UNAVAILABLE.withDescription("Kyutai server " + s.where() + " reported an error: " + message);
    }

    static Status badFrame(KyutaiSettings s, MoshiProtocolException e) {
        return Status.UNAVAILABLE.withDescription("Kyutai server " + s.where() + " sent a frame that is not a moshi-server message ("
                + e.getMessage() + "); is the URL a moshi-server asr-streaming endpoint?");
    }

    static Status droppedMidStream(KyutaiSettings s, String how) {
        return Status.UNAVAILABLE.withDescription("Kyutai server " + s.where() + " " + how
                + " while audio was still being recognised; the audio since the last flush was not transcribed; retry");
    }

    static Status notReady(KyutaiSettings s, long ms) {
        return Status.UNAVAILABLE.withDescription("Kyutai server " + s.where() + " accepted the connection but sent no Ready within "
                + ms + " ms (is it a batched asr-streaming module?); retry");
    }

    static Status markerLate(KyutaiSettings s, long ms) {
        return Status.UNAVAILABLE.withDescription("Kyutai server " + s.where() + " did not return the flush marker within "
                + ms + " ms; retry");
    }

    /** A failed WebSocket upgrade or connection. */
    static Status connectFailed(KyutaiSettings s, Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof WebSocketHandshakeException h) {
            int code = h.getResponse() == null ? 0 : h.getResponse().statusCode();
            if (code == 401 || code == 403) {
                return Status.UNAVAILABLE.withDescription("Kyutai server " + s.where() + " refused Steno's api key (HTTP " + code
                        + "): set models.kyutai.api-key to one of the server's authorized_ids");
            }
            if (code == 404) {
                return Status.UNAVAILABLE.withDescription("Kyutai server " + s.where()
                        + " has no asr-streaming endpoint (HTTP 404): check models.kyutai.url and the server's config");
            }
            return Status.UNAVAILABLE.withDescription("Kyutai server " + s.where() + " refused the WebSocket upgrade (HTTP " + code + ")");
        }
        return Status.UNAVAILABLE.withDescription("Kyutai server " + s.where() + " is unreachable (" + reason(c) + "); retry with backoff");
    }

    static String reason(Throwable c) {
        if (c instanceof ConnectException) {
            return "connection refused";
        }
        if (c instanceof HttpConnectTimeoutException || c instanceof HttpTimeoutException || c instanceof TimeoutException) {
            return "no answer in time";
        }
        if (c instanceof UnresolvedAddressException || c instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        if (c instanceof javax.net.ssl.SSLException) {
            return "TLS failed: " + c.getMessage();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof java.io.IOException && c.getCause() != null && !(c instanceof WebSocketHandshakeException)) {
            // The JDK wraps ConnectException and friends in a plain IOException.
            Throwable inner = c.getCause();
            if (inner instanceof ConnectException || inner instanceof UnresolvedAddressException
                    || inner instanceof java.net.UnknownHostException || inner instanceof javax.net.ssl.SSLException) {
                return inner;
            }
        }
        return c;
    }
}
