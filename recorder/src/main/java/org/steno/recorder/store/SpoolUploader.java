package org.steno.recorder.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads files from the local spool directory to object storage, in order, one at a time.
 * A file stays in the spool until the store has it, so an outage (or a crash) loses nothing:
 * failures back off exponentially and the same file is tried again; on start, whatever a
 * previous process left in the spool is uploaded first.
 *
 * <p>The spool mirrors the keys: the file for key {@code a/b/c.ogg} is {@code <spool>/a/b/c.ogg}.
 * Files still being written end in {@code .part} and are never uploaded.
 */
public final class SpoolUploader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolUploader.class);

    private final ObjectStore store;
    private final Path spoolDir;
    private final Duration maxBackoff;
    private final LinkedBlockingDeque<String> queue = new LinkedBlockingDeque<>();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private volatile Thread thread;
    private volatile boolean running;
    private volatile String lastError = "";
    private volatile int consecutiveFailures;
    private volatile long uploaded;

    public SpoolUploader(ObjectStore store, Path spoolDir, Duration maxBackoff) {
        this.store = store;
        this.spoolDir = spoolDir;
        this.maxBackoff = maxBackoff;
    }

    /** Queues what an earlier process left behind, then starts the upload thread. */
    public synchronized void start() throws IOException {
        if (running) {
            return;
        }
        Files.createDirectories(spoolDir);
        for (String key : leftovers()) {
            enqueue(key);
        }
        running = true;
        Thread t = new Thread(this::run, "recorder-upload");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private List<String> leftovers() throws IOException {
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(spoolDir)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String key = spoolDir.relativize(p).toString().replace('\\', '/');
                if (key.endsWith(".part")) {
                    // A segment that was being written when the process died: incomplete by definition.
                    LOG.warn("discarding unfinished segment {} left by a previous run", key);
                    Files.deleteIfExists(p);
                } else {
                    keys.add(key);
                }
            }
        }
        keys.sort(Comparator.comparing(SpoolUploader::uploadOrder));
        return keys;
    }

    /** recording.json first; a segment's media before its commit record. */
    static String uploadOrder(String key) {
        if (key.endsWith("/recording.json")) {
            return "0" + key;
        }
        if (key.endsWith(".json")) {
            return "1" + key.substring(0, key.length() - 5) + "~";
        }
        int dot = key.lastIndexOf('.');
        return "1" + (dot > 0 ? key.substring(0, dot) : key);
    }

    /** Uploads the spooled file for {@code key} (already complete in the spool) when its turn comes. */
    public void enqueue(String key) {
        if (pending.add(key)) {
            queue.add(key);
        }
    }

    public Path fileFor(String key) {
        return spoolDir.resolve(key);
    }

    private void run() {
        long backoffMillis = 250;
        while (running) {
            String key;
            try {
                key = queue.takeFirst();
            } catch (InterruptedException e) {
                break;
            }
            Path file = fileFor(key);
            try {
                if (Files.exists(file)) {
                    store.put(key, file);
                    Files.deleteIfExists(file);
                }
                pending.remove(key);
                uploaded++;
                if (consecutiveFailures > 0) {
                    LOG.info("storage is back: uploads resumed after {} failed attempts", consecutiveFailures);
                }
                consecutiveFailures = 0;
                lastError = "";
                backoffMillis = 250;
            } catch (IOException | RuntimeException e) {
                queue.addFirst(key);
                consecutiveFailures++;
                lastError = e.getMessage();
                if (consecutiveFailures == 1 || consecutiveFailures % 20 == 0) {
                    LOG.warn("upload of {} failed ({}); {} files kept in the spool, retrying in {} ms",
                            key, e.getMessage(), pending.size(), backoffMillis);
                }
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    break;
                }
                backoffMillis = Math.min(backoffMillis * 2, maxBackoff.toMillis());
            }
        }
    }

    /** Files under {@code prefix} not yet in storage. */
    public int pending(String prefix) {
        int n = 0;
        for (String k : pending) {
            if (k.startsWith(prefix)) {
                n++;
            }
        }
        return n;
    }

    public int pendingTotal() {
        return pending.size();
    }

    /** Waits until nothing under {@code prefix} is pending; false on timeout. */
    public boolean awaitUploaded(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending(prefix) > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** True when the last upload succeeded (or none failed yet). */
    public boolean healthy() {
        return consecutiveFailures == 0;
    }

    public String lastError() {
        return lastError;
    }

    public long uploadedCount() {
        return uploaded;
    }

    /** Stops uploading; spooled files stay for the next start. */
    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
