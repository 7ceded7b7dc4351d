package org.steno.models.kyutai.standin;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * A stand-in for Kyutai's moshi-server with a {@code BatchedAsr} module, written from its sources
 * (kyutai-labs/moshi {@code rust/moshi-server/src/main.rs}, {@code batched_asr.rs}, {@code asr.rs},
 * {@code rust/moshi-core/src/asr.rs}). What it keeps from them, since the adapter is tested on it:
 * <ul>
 * <li>{@code GET /api/asr-streaming}: key in the {@code kyutai-api-key} header, else the {@code auth_id}
 *     query parameter, checked against the authorized ids; HTTP 401 before the upgrade otherwise.
 *     {@code GET /api/build_info} answers JSON.</li>
 * <li>Binary frames, each one MessagePack map with string keys tagged by {@code type}: in
 *     {@code Audio{pcm}}, {@code Marker{id}}, {@code Init}; out {@code Ready}, {@code Word{text,start_time}},
 *     {@code EndWord{stop_time}}, {@code Step{step_idx,prs,buffered_pcm}}, {@code Marker{id}},
 *     {@code Error{message}}. Text frames are ignored; a frame that is not such a map drops the client.</li>
 * <li>{@code batchSize} slots; a connection with none free gets {@code Error{"no free channels"}}, then a close.
 *     A new slot starts with {@code Ready}.</li>
 * <li>One model loop for every slot: per pass it takes at most one message from each slot, re-chunks
 *     audio into 1920-sample frames and steps the slots that have a frame; the global step counts passes
 *     with any frame. A marker received at global step {@code s} with {@code b} frames buffered comes back
 *     once the global step reaches {@code s + delay + b}: only if audio keeps coming (ours or another slot's).</li>
 * <li>Times: a frame is 80 ms; {@code stop_time = (step - delay) / 12.5}; a word is sent {@code delay} steps
 *     after its audio ended, its {@code EndWord} right after.</li>
 * <li>Ping after {@code pingEvery} without output; drop after twice that without any frame from the client
 *     (pongs count), or at the first frame after {@code longTimeout} without a binary one.</li>
 * </ul>
 * What it cannot be is a model: a run of frames louder than {@code speechRms} is one word (one per
 * {@value #MAX_WORD_FRAMES} frames when longer), the next word of {@code text} (per connection, from its first word); the pause heads say "pause" once the delayed audio
 * has been silent for 0.5 / 1 / 2 / 3 s after a word. So a test knows exactly which words the server said.
 */
public final class MoshiStandIn implements AutoCloseable {

    public static final int FRAME = 1920;
    /** A loud run longer than this (640 ms) is several words. */
    public static final int MAX_WORD_FRAMES = 8;
    private static final double[] PAUSE_SECONDS = {0.5, 1, 2, 3};

    /** How the stand-in behaves; the defaults are those of Kyutai's published 1B config. */
    public record Options(Set<String> authorizedIds, int batchSize, int delayTokens, boolean extraHeads, List<String> text,
                          Duration pingEvery, Duration longTimeout, long stepPeriodMs, float speechRms) {

        public static Options defaults(List<String> text) {
            return new Options(Set.of("public_token"), 64, 6, true, text, Duration.ofSeconds(10), Duration.ofSeconds(120), 0, 0.01f);
        }

        public Options withBatchSize(int n) {
            return new Options(authorizedIds, n, delayTokens, extraHeads, text, pingEvery, longTimeout, stepPeriodMs, speechRms);
        }

        public Options withDelay(int tokens, boolean heads) {
            return new Options(authorizedIds, batchSize, tokens, heads, text, pingEvery, longTimeout, stepPeriodMs, speechRms);
        }

        public Options withTimeouts(Duration ping, Duration idle) {
            return new Options(authorizedIds, batchSize, delayTokens, extraHeads, text, ping, idle, stepPeriodMs, speechRms);
        }

        public Options withStepPeriod(long ms) {
            return new Options(authorizedIds, batchSize, delayTokens, extraHeads, text, pingEvery, longTimeout, ms, speechRms);
        }
    }

    private final Options options;
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final Channel[] slots;
    private final List<Channel> connections = new CopyOnWriteArrayList<>();
    private final List<String> saidWords = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger unauthorized = new AtomicInteger();
    private final AtomicInteger refusedNoSlot = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final Thread modelLoop;
    private final Thread timerLoop;
    private volatile boolean running = true;
    private long globalStep;
    private final List<long[]> markers = new ArrayList<>(); // {stepDue, markerId, channelSerial}

    public MoshiStandIn(Options options) throws Exception {
        this(options, 0);
    }

    public MoshiStandIn(Options options, int port) throws Exception {
        this.options = options;
        this.slots = new Channel[options.batchSize()];
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container ->
                container.addMapping("/api/asr-streaming", (rq, rs, cb) -> {
                    String key = rq.getHeaders().get("kyutai-api-key");
                    if (key == null) {
                        key = Request.extractQueryParameters(rq).getValue("auth_id");
                    }
                    if (key == null || !options.authorizedIds().contains(key)) {
                        unauthorized.incrementAndGet();
                        rs.setStatus(401);
                        cb.succeeded();
                        return null;
                    }
                    return new Channel();
                }));
        ws.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (request.getHttpURI().getPath().equals("/api/build_info")) {
                    response.getHeaders().put("Content-Type", "application/json");
                    response.write(true, ByteBuffer.wrap("{\"build_timestamp\":\"stand-in\",\"git_describe\":\"moshi-stand-in\"}"
                            .getBytes(StandardCharsets.UTF_8)), callback);
                    return true;
                }
                Response.writeError(request, response, callback, 404);
                return true;
            }
        });
        server.setHandler(ws);
        server.start();
        modelLoop = new Thread(this::runModel, "moshi-stand-in-model");
        modelLoop.setDaemon(true);
        modelLoop.start();
        timerLoop = new Thread(this::runTimers, "moshi-stand-in-timers");
        timerLoop.setDaemon(true);
        timerLoop.start();
    }

    /** {@code ws://127.0.0.1:<port>}, the base URL an operator would configure. */
    public URI url() {
        return URI.create("ws://127.0.0.1:" + connector.getLocalPort());
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Every word sent to any client, in the order sent. */
    public List<String> saidWords() {
        synchronized (saidWords) {
            return List.copyOf(saidWords);
        }
    }

    public int unauthorized() {
        return unauthorized.get();
    }

    public int refusedNoSlot() {
        return refusedNoSlot.get();
    }

    /** Clients dropped by the receive timeouts or for a bad frame. */
    public int dropped() {
        return dropped.get();
    }

    public synchronized int slotsInUse() {
        int n = 0;
        for (Channel c : slots) {
            n += c == null ? 0 : 1;
        }
        return n;
    }

    /** Connections that got a slot, in order. */
    public List<Channel> connections() {
        return List.copyOf(connections);
    }

    /** Sends raw bytes as one binary frame to every connected client (bad-input tests). */
    public void sendRawToAll(byte[] frame) {
        for (Channel c : connections) {
            c.sendRaw(frame);
        }
    }

    /** Closes every client connection as a crashing or restarting server would (no close frame). */
    public void dropAll() {
        for (Channel c : connections) {
            c.disconnect();
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        modelLoop.interrupt();
        timerLoop.interrupt();
        server.stop();
    }

    // ---- the model loop (batched_asr.rs start_model_loop / pre_process / post_process) -------------

    private void runModel() {
        while (running) {
            boolean any;
            synchronized (this) {
                any = step();
            }
            try {
                if (!any) {
                    Thread.sleep(2);
                } else if (options.stepPeriodMs() > 0) {
                    Thread.sleep(options.stepPeriodMs());
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean step() {
        List<Channel> active = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            Channel c = slots[i];
            if (c == null) {
                continue;
            }
            if (c.closed) {
                slots[i] = null;
                continue;
            }
            Object msg = c.inbox.poll();
            float[] frame = null;
            if (msg instanceof Init) {
                c.resetModel();
                c.send(map("type", "Ready"));
            } else if (msg instanceof Long markerId) {
                // The marker comes back once the current data is processed and the delay has passed.
                markers.add(new long[] {globalStep + options.delayTokens() + c.buffered.size() / FRAME, markerId, c.serial});
            } else if (msg instanceof float[] pcm) {
                frame = c.extend(pcm);
            } else {
                frame = c.extend(new float[0]);
            }
            if (frame != null) {
                c.process(frame);
                active.add(c);
            }
        }
        if (active.isEmpty()) {
            return false;
        }
        globalStep++;
        for (Channel c : active) {
            c.afterStep(globalStep);
        }
        markers.sort((a, b) -> Long.compare(a[0], b[0]));
        while (!markers.isEmpty() && markers.get(0)[0] <= globalStep) {
            long[] m = markers.remove(0);
            for (Channel c : slots) {
                if (c != null && c.serial == m[2]) {
                    c.send(map("type", "Marker", "id", m[1]));
                }
            }
        }
        return true;
    }

    private void runTimers() {
        while (running) {
            long now = System.nanoTime();
            for (Channel c : connections) {
                c.checkTimers(now);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized boolean takeSlot(Channel c) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == null) {
                slots[i] = c;
                return true;
            }
        }
        return false;
    }

    /** Marker of the Init message a new slot gets (batched_asr.rs sends InMsg::Init itself). */
    private static final class Init {
    }

    private static final AtomicInteger SERIALS = new AtomicInteger();

    /** One client: its WebSocket and its slot's model state. */
    public final class Channel implements Session.Listener.AutoDemanding {
        final long serial = SERIALS.incrementAndGet();
        final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
        final java.util.ArrayDeque<Float> buffered = new java.util.ArrayDeque<>();
        private volatile Session session;
        volatile boolean closed;
        private volatile boolean dropRequested;
        private volatile boolean idleDropRequested;
        private volatile long lastFrameNanos = System.nanoTime();
        private volatile long lastBinaryNanos = System.nanoTime();
        private volatile long lastOutputNanos = System.nanoTime();
        // Model state, touched by the model loop only.
        private long steps;
        private long runStart = -1;
        private int nextWord;
        private final List<Boolean> speech = new ArrayList<>();
        private final List<long[]> wordsDue = new ArrayList<>(); // {dueStep, startFrame, endFrame, wordIndex}
        private long delayedSilence;
        private boolean delayedHeardWord;
        private long received;
        private final List<String> said = Collections.synchronizedList(new ArrayList<>());

        /** Samples (24 kHz) this client sent, silence included. */
        public synchronized long receivedSamples() {
            return received;
        }

        /** Words sent to this client. */
        public List<String> said() {
            synchronized (said) {
                return List.copyOf(said);
            }
        }

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
            if (!takeSlot(this)) {
                refusedNoSlot.incrementAndGet();
                send(map("type", "Error", "message", "no free channels"));
                s.close(1000, null, org.eclipse.jetty.websocket.api.Callback.NOOP);
                return;
            }
            connections.add(this);
            inbox.add(new Init());
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
            long now = System.nanoTime();
            frameArrived(now);
            lastBinaryNanos = now;
            try {
                Object msg = decode(payload);
                if (msg instanceof float[] pcm) {
                    synchronized (this) {
                        received += pcm.length;
                    }
                }
                if (msg != null) {
                    inbox.add(msg);
                }
            } catch (IOException | RuntimeException e) {
                // rmp_serde::from_slice fails: the receive loop ends, the model loop frees the slot and the
                // dropped sender closes the connection; here the timer thread drops it, off Jetty's read path.
                dropped.incrementAndGet();
                dropRequested = true;
            }
            callback.succeed();
        }

        @Override
        public void onWebSocketPong(ByteBuffer payload) {
            frameArrived(System.nanoTime());
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closed = true;
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            closed = true;
        }

        /** The long timeout is looked at only when a frame arrives, as in batched_asr.rs. */
        private void frameArrived(long now) {
            lastFrameNanos = now;
            if (now - lastBinaryNanos > options.longTimeout().toNanos() && !closed) {
                // Dropped by the timer thread, off Jetty's read path: closing from inside the pong's callback did
                // not always complete the close under load.
                idleDropRequested = true;
            }
        }

        void checkTimers(long now) {
            if (idleDropRequested) {
                idleDropRequested = false;
                dropped.incrementAndGet(); // counted as the connection is cut, so a client that saw the close sees it
                disconnect();
                return;
            }
            if (dropRequested) {
                dropRequested = false;
                disconnect();
                return;
            }
            if (closed) {
                return;
            }
            if (now - lastFrameNanos > 2 * options.pingEvery().toNanos()) {
                dropped.incrementAndGet();
                disconnect();
                return;
            }
            if (now - lastOutputNanos > options.pingEvery().toNanos()) {
                lastOutputNanos = now;
                Session s = session;
                if (s != null && s.isOpen()) {
                    s.sendPing(ByteBuffer.allocate(0), org.eclipse.jetty.websocket.api.Callback.NOOP);
                }
            }
        }

        void disconnect() {
            closed = true;
            Session s = session;
            if (s != null) {
                s.disconnect();
            }
        }

        void sendRaw(byte[] frame) {
            Session s = session;
            if (s != null && s.isOpen()) {
                lastOutputNanos = System.nanoTime();
                synchronized (this) {
                    s.sendBinary(ByteBuffer.wrap(frame), org.eclipse.jetty.websocket.api.Callback.NOOP);
                }
            }
        }

        void send(byte[] frame) {
            sendRaw(frame);
        }

        void resetModel() {
            steps = 0;
            runStart = -1;
            speech.clear();
            wordsDue.clear();
            delayedSilence = 0;
            delayedHeardWord = false;
        }

        /** Channel::extend_data: a frame when 1920 samples are there, the rest kept. */
        float[] extend(float[] pcm) {
            for (float v : pcm) {
                buffered.add(v);
            }
            if (buffered.size() < FRAME) {
                return null;
            }
            float[] f = new float[FRAME];
            for (int i = 0; i < FRAME; i++) {
                f[i] = buffered.poll();
            }
            return f;
        }

        /** One model step of this slot: detect "words", send those whose delay has passed. */
        void process(float[] frame) {
            long f = steps++;
            double e = 0;
            for (float v : frame) {
                e += v * v;
            }
            boolean loud = Math.sqrt(e / frame.length) > options.speechRms();
            speech.add(loud);
            if (loud && runStart >= 0 && f - runStart >= MAX_WORD_FRAMES) {
                // Speech without pauses: one word per 640 ms, about the rate people speak at.
                wordsDue.add(new long[] {f + options.delayTokens(), runStart, f, nextWord++ % options.text().size()});
                runStart = f;
            }
            if (loud && runStart < 0) {
                runStart = f;
            } else if (!loud && runStart >= 0) {
                List<String> text = options.text();
                wordsDue.add(new long[] {f + options.delayTokens(), runStart, f, nextWord++ % text.size()});
                runStart = -1;
            }
            while (!wordsDue.isEmpty() && wordsDue.get(0)[0] <= steps) {
                long[] w = wordsDue.remove(0);
                String word = options.text().get((int) w[3]);
                said.add(word);
                saidWords.add(word);
                send(map("type", "Word", "text", word, "start_time", w[1] / 12.5));
                send(map("type", "EndWord", "stop_time", w[2] / 12.5));
            }
            long delayed = steps - 1 - options.delayTokens();
            if (delayed >= 0) {
                if (speech.get((int) delayed)) {
                    delayedSilence = 0;
                    delayedHeardWord = true;
                } else {
                    delayedSilence++;
                }
            }
        }

        void afterStep(long globalStepIdx) {
            if (!options.extraHeads()) {
                return;
            }
            float[] prs = new float[PAUSE_SECONDS.length];
            for (int i = 0; i < prs.length; i++) {
                prs[i] = delayedHeardWord && delayedSilence * 0.08 >= PAUSE_SECONDS[i] ? 0.95f : 0.02f;
            }
            send(map("type", "Step", "step_idx", globalStepIdx, "prs", prs, "buffered_pcm", (long) buffered.size()));
        }
    }

    // ---- MessagePack, written here from the Rust types rather than shared with the adapter ---------

    /** A map of alternating keys and values: String, Long, Double, float[] (as f32). */
    static byte[] map(Object... kv) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(kv.length / 2);
            for (int i = 0; i < kv.length; i += 2) {
                p.packString((String) kv[i]);
                Object v = kv[i + 1];
                if (v instanceof String s) {
                    p.packString(s);
                } else if (v instanceof Long l) {
                    // serde writes usize/i64 as the smallest MessagePack integer.
                    p.packLong(l);
                } else if (v instanceof Double d) {
                    p.packDouble(d);
                } else if (v instanceof float[] fs) {
                    p.packArrayHeader(fs.length);
                    for (float x : fs) {
                        p.packFloat(x);
                    }
                } else {
                    throw new IllegalArgumentException("cannot pack " + v);
                }
            }
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** InMsg: {@code float[]} for Audio, {@code Long} for Marker, {@link Init}; null for OggOpus (unsupported here). */
    static Object decode(ByteBuffer frame) throws IOException {
        // Jetty hands over direct buffers, which msgpack-core reads through JDK internals Java 17 closes.
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            int n = u.unpackMapHeader();
            String type = null;
            float[] pcm = null;
            Long id = null;
            for (int i = 0; i < n; i++) {
                String key = u.unpackString();
                switch (key) {
                    case "type" -> type = u.unpackString();
                    case "pcm" -> {
                        int len = u.unpackArrayHeader();
                        pcm = new float[len];
                        for (int k = 0; k < len; k++) {
                            pcm[k] = u.getNextFormat().getValueType() == ValueType.INTEGER ? u.unpackLong() : u.unpackFloat();
                        }
                    }
                    case "id" -> id = u.unpackLong();
                    default -> u.skipValue();
                }
            }
            if (type == null) {
                throw new IOException("missing field `type`");
            }
            return switch (type) {
                case "Audio" -> {
                    if (pcm == null) {
                        throw new IOException("missing field `pcm`");
                    }
                    yield pcm;
                }
                case "Marker" -> {
                    if (id == null) {
                        throw new IOException("missing field `id`");
                    }
                    yield id;
                }
                case "Init" -> new Init();
                case "OggOpus" -> null;
                default -> throw new IOException("unknown variant `" + type + "`");
            };
        }
    }
}
