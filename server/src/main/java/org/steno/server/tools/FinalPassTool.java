package org.steno.server.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;
import org.steno.identity.AuditLog;
import org.steno.identity.AuditRecord;
import org.steno.identity.Database;
import org.steno.identity.DatabaseException;
import org.steno.identity.Outcome;
import org.steno.models.whisperx.WhisperXClient;
import org.steno.pipeline.batch.FinalTranscriptPass;
import org.steno.server.access.StenoPolicy;
import org.steno.server.config.ConfigException;
import org.steno.server.config.ConfigLoader;
import org.steno.server.config.StenoConfig;
import org.steno.server.identity.IdentityRole;
import org.steno.server.lifecycle.StartupException;
import org.steno.server.roles.StenoProcess;
import org.steno.server.roles.WhisperXTracks;
import org.steno.server.storage.EmbeddedS3;
import org.steno.server.storage.S3Storage;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code steno transcribe --meeting ID [--recording R]}: the post-meeting pass on demand, for a
 * meeting whose recordings were finalized before {@code models.batch.engine=whisperx} was set, or
 * again after WhisperX was down. Each finished recording of the meeting (or the one named) is
 * transcribed by WhisperX into {@code final-<recording>}, replacing an earlier final version. It
 * reaches the bucket as the server does: an external {@code s3.endpoint}, the embedded store of
 * a server running on this data.dir, or that store served by the tool while it runs. Needs the
 * host's operator (ADMINISTER on the meeting); each run is in the audit log.
 */
public final class FinalPassTool {

    static final String USAGE = "usage: steno transcribe --meeting ID [--recording RECORDING_ID] [--config FILE]";

    private FinalPassTool() {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Path configFile = null;
        String meeting = null;
        String recording = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--meeting" -> meeting = v;
                case "--recording" -> recording = v;
                case "--config" -> configFile = v == null ? null : Path.of(v);
                default -> {
                    err.println("steno transcribe: unexpected argument '" + a + "'");
                    err.println(USAGE);
                    return 2;
                }
            }
            if (v == null) {
                err.println("steno transcribe: " + a + " needs a value");
                err.println(USAGE);
                return 2;
            }
            i++;
        }
        if (meeting == null || !safeId(meeting) || (recording != null && !safeId(recording))) {
            err.println("steno transcribe: --meeting (and --recording) take a meeting's (a recording's) id");
            err.println(USAGE);
            return 2;
        }
        StenoConfig config;
        try {
            config = ConfigLoader.load(configFile, env);
        } catch (ConfigException e) {
            err.println("steno: " + e.getMessage());
            return 2;
        }
        if (!config.finalPass()) {
            err.println("steno transcribe: --meeting runs the pass after the meeting, which needs models.batch.engine=whisperx"
                    + " and models.batch.whisperx.url (STENO_MODELS_BATCH_*)");
            return 2;
        }
        Caller operator = new Caller("cli:" + System.getProperty("user.name", "unknown"), Set.of(StenoPolicy.OPERATOR), "local",
                Caller.Channel.CLI);
        Decision d = new StenoPolicy().check(operator, Action.ADMINISTER, Resource.meeting(meeting));
        if (!d.allowed()) {
            err.println("steno: " + d.reason());
            return 1;
        }
        // The audit log first: a run that could not be audited is not made (with the embedded database, stop the server first).
        Database db;
        try {
            db = IdentityRole.open(config);
        } catch (DatabaseException e) {
            err.println("steno transcribe: the audit log cannot be opened (" + e.getMessage() + "); with the embedded database,"
                    + " stop the server on this data.dir first");
            return 2;
        }
        try (db) {
            if (new org.steno.identity.LegalHolds(db).held(meeting)) {
                err.println("steno transcribe: meeting " + meeting + " is under legal hold: its transcripts are not rewritten");
                audit(db, operator, meeting, "refused: the meeting is under legal hold", false, err);
                return 1;
            }
            // Said before the work: a run killed half-way is still in the log.
            audit(db, operator, meeting, "started" + (recording == null ? "" : " for recording " + recording), true, err);
            return passes(config, operator, meeting, recording, db, out, err);
        }
    }

    private static int passes(StenoConfig config, Caller operator, String meeting, String recording, Database db, PrintStream out,
                              PrintStream err) {
        EmbeddedS3 embedded = null;
        S3Storage storage = null;
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        try {
            if (config.embeddedS3()) {
                EmbeddedS3 own = new EmbeddedS3(config);
                try {
                    own.start();
                    embedded = own;
                    storage = new S3Storage(own::target);
                } catch (StartupException inUse) {
                    // A server on this data.dir serves the store: use it, as its other roles do.
                    storage = new S3Storage(() -> StenoProcess.externalTarget(config));
                }
            } else {
                storage = new S3Storage(() -> StenoProcess.externalTarget(config));
            }
            storage.start();
            S3Storage s = storage;
            String bucket = s.target().bucket();
            Set<String> recordings = new TreeSet<>();
            if (recording != null) {
                recordings.add(recording);
            } else {
                String prefix = "meetings/" + meeting + "/recordings/";
                for (S3Object o : s.client().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
                    String rest = o.key().substring(prefix.length());
                    if (rest.endsWith("/manifest.json") && rest.indexOf('/') == rest.length() - "/manifest.json".length()) {
                        recordings.add(rest.substring(0, rest.indexOf('/')));
                    }
                }
            }
            if (recordings.isEmpty()) {
                err.println("steno transcribe: meeting " + meeting + " has no finished recording in the bucket");
                audit(db, operator, meeting, "no finished recording", false, err);
                return 1;
            }
            FinalTranscriptPass pass = new FinalTranscriptPass(s::client, bucket, new WhisperXTracks(new WhisperXClient(config.batchWhisperX())),
                    Clock.systemUTC());
            for (String r : recordings) {
                try {
                    FinalTranscriptPass.Result res = pass.run(meeting, r);
                    out.printf("recording %s: %s (%d tracks, %d segments, %d gaps)%n", r, res.transcriptKey(), res.tracks(),
                            res.segments(), res.gaps());
                    done.add(r);
                } catch (java.io.IOException | IllegalArgumentException e) {
                    err.println("steno transcribe: recording " + r + ": " + e.getMessage());
                    failed.add(r);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            err.println("steno transcribe: " + e.getMessage());
            failed.add("storage");
        } finally {
            if (storage != null) {
                storage.stop();
            }
            if (embedded != null) {
                embedded.stop();
            }
        }
        audit(db, operator, meeting, "final transcripts of " + done + (failed.isEmpty() ? "" : "; failed " + failed), failed.isEmpty(), err);
        return failed.isEmpty() ? 0 : 1;
    }

    private static boolean safeId(String id) {
        return id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}") && !id.contains("..");
    }

    private static void audit(Database db, Caller operator, String meeting, String what, boolean ok, PrintStream err) {
        try {
            new AuditLog(db, Clock.systemUTC()).append(new AuditRecord(operator.subject(), StenoPolicy.OPERATOR, "local",
                    "TRANSCRIPT.FINAL_PASS", "meeting:" + meeting, ok ? Outcome.ALLOWED : Outcome.DENIED, what));
        } catch (DatabaseException e) {
            err.println("steno: the run could not be written to the audit log: " + e.getMessage());
        }
    }
}
