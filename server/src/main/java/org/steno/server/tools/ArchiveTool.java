package org.steno.server.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;
import org.steno.archive.Archive;
import org.steno.archive.bucket.IndexSync;
import org.steno.archive.bucket.TranscriptBucket;
import org.steno.archive.index.ArchiveIndex;
import org.steno.identity.AuditLog;
import org.steno.identity.AuditRecord;
import org.steno.identity.Database;
import org.steno.identity.DatabaseException;
import org.steno.identity.Outcome;
import org.steno.server.access.StenoPolicy;
import org.steno.server.config.ConfigException;
import org.steno.server.config.ConfigLoader;
import org.steno.server.config.StenoConfig;
import org.steno.server.identity.IdentityRole;
import org.steno.server.roles.StenoProcess;
import org.steno.server.storage.EmbeddedS3;
import org.steno.server.storage.S3Storage;

/**
 * {@code steno archive reindex}: empties the search index under {@code <data.dir>/index} and
 * builds it again from every transcript in the bucket (the index is derived data). Run it with
 * the server stopped: the index has one writer. With the embedded store, the tool serves the
 * store itself for the time it runs; otherwise it reads {@code s3.endpoint}. Audited as the
 * host's operator.
 */
public final class ArchiveTool {

    private ArchiveTool() {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Path configFile = null;
        String sub = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                configFile = Path.of(args[++i]);
            } else if (args[i].startsWith("--config=")) {
                configFile = Path.of(args[i].substring("--config=".length()));
            } else if (sub == null) {
                sub = args[i];
            } else {
                err.println("steno: unknown argument '" + args[i] + "' for 'archive " + sub + "'");
                return 2;
            }
        }
        if (sub == null || !sub.equals("reindex")) {
            (sub == null ? err : out).println("usage: steno archive reindex [--config FILE]\n"
                    + "  rebuilds the search index (<data.dir>/index) from the transcripts in the bucket; stop the server first");
            return sub == null || !sub.equals("help") ? 2 : 0;
        }
        StenoConfig config;
        try {
            config = ConfigLoader.load(configFile, env);
        } catch (ConfigException e) {
            err.println("steno: " + e.getMessage());
            return 2;
        }
        Caller operator = new Caller("cli:" + System.getProperty("user.name", "unknown"), Set.of(StenoPolicy.OPERATOR), "local",
                Caller.Channel.CLI);
        Decision d = new StenoPolicy().check(operator, Action.ADMINISTER, new Resource("archive", "index"));
        if (!d.allowed()) {
            err.println("steno: " + d.reason());
            return 1;
        }
        Path indexDir = config.dataDir().resolve("index");
        EmbeddedS3 embedded = null;
        S3Storage storage = null;
        // The index first: if a server holds it, say so before touching its store's port.
        try (ArchiveIndex free = ArchiveIndex.open(indexDir)) {
            free.segmentCount();
        } catch (ArchiveIndex.IndexInUseException e) {
            err.println("steno: " + e.getMessage() + " (is 'steno up' or 'steno server' running on this data.dir?)");
            return 2;
        } catch (java.io.IOException e) {
            err.println("steno: cannot open the search index in " + indexDir + ": " + e.getMessage());
            return 1;
        }
        try {
            if (config.embeddedS3()) {
                embedded = new EmbeddedS3(config);
                embedded.start();
                EmbeddedS3 s3 = embedded;
                storage = new S3Storage(s3::target);
            } else {
                storage = new S3Storage(() -> StenoProcess.externalTarget(config));
            }
            storage.start();
            S3Storage s = storage;
            long started = System.nanoTime();
            IndexSync.Outcome o;
            try (Archive archive = Archive.open(indexDir, new TranscriptBucket(s::client, () -> s.target().bucket()))) {
                o = archive.rebuild();
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            out.printf("search index rebuilt in %d ms: %d transcript(s) indexed from the bucket, %d unreadable (see the log)%n",
                    ms, o.indexed(), o.unreadable());
            audit(config, operator, "indexed " + o.indexed() + ", unreadable " + o.unreadable(), true, err);
            return 0;
        } catch (Exception e) {
            err.println("steno: the search index could not be rebuilt: " + e.getMessage());
            audit(config, operator, "failed: " + e.getClass().getSimpleName(), false, err);
            return 1;
        } finally {
            if (storage != null) {
                storage.stop();
            }
            if (embedded != null) {
                embedded.stop();
            }
        }
    }

    private static void audit(StenoConfig config, Caller operator, String what, boolean ok, PrintStream err) {
        try (Database db = IdentityRole.open(config)) {
            new AuditLog(db, Clock.systemUTC()).append(new AuditRecord(operator.subject(), StenoPolicy.OPERATOR, "local",
                    "ARCHIVE.REINDEX", "archive:index", ok ? Outcome.ALLOWED : Outcome.DENIED, what));
        } catch (DatabaseException e) {
            err.println("steno: the reindex could not be written to the audit log: " + e.getMessage());
        }
    }
}
