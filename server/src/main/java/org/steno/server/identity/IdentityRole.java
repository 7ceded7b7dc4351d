package org.steno.server.identity;

import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.identity.Accounts;
import org.steno.identity.AuditLog;
import org.steno.identity.Database;
import org.steno.identity.MeetingStore;
import org.steno.identity.PasswordHasher;
import org.steno.identity.PlatformRole;
import org.steno.identity.Sessions;
import org.steno.identity.oidc.OidcClient;
import org.steno.identity.oidc.OidcException;
import org.steno.identity.oidc.OidcSettings;
import org.steno.server.config.IdentitySettings;
import org.steno.server.config.StenoConfig;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;

/**
 * Accounts, sessions, meeting ownership and the audit log of a process that serves people: the
 * relational database (embedded H2 under data.dir, or PostgreSQL at {@code db.url}) and, when
 * configured, the OpenID Connect provider. Starts before the HTTP server, which asks it who is
 * signed in behind each request.
 */
public final class IdentityRole implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityRole.class);

    private final StenoConfig config;
    private final Supplier<String> publicUrl;
    private final PrintStream console;
    private final Clock clock;
    private volatile Database database;
    private volatile Accounts accounts;
    private volatile Sessions sessions;
    private volatile AuditLog audit;
    private volatile MeetingStore meetings;
    private volatile org.steno.identity.MeetingAttendance attendance;
    private volatile org.steno.identity.LegalHolds holds;
    private volatile org.steno.identity.RetentionSettings retention;
    private volatile OidcClient oidc;
    private static final java.time.Duration DISCOVERY_RETRY = java.time.Duration.ofSeconds(30);
    private OidcException lastDiscoveryFailure;
    private java.time.Instant lastDiscoveryFailureAt;
    private volatile java.util.concurrent.ScheduledExecutorService sweeper;

    /**
     * @param publicUrl the base URL users open (the OIDC redirect URI is under it), read on first sign-in
     * @param console   where the first administrator's one-time password is printed, once (never the log)
     */
    public IdentityRole(StenoConfig config, Supplier<String> publicUrl, PrintStream console, Clock clock) {
        this.config = config;
        this.publicUrl = publicUrl;
        this.console = console;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public void start() {
        IdentitySettings s = config.identity();
        Database db = open(config);
        database = db;
        accounts = new Accounts(db, clock, new PasswordHasher());
        sessions = new Sessions(db, clock, s.sessionIdleTimeout(), s.sessionMaxAge());
        audit = new AuditLog(db, clock);
        meetings = new MeetingStore(db);
        attendance = new org.steno.identity.MeetingAttendance(db);
        holds = new org.steno.identity.LegalHolds(db);
        retention = new org.steno.identity.RetentionSettings(db);
        purgeSessions();
        java.util.concurrent.ScheduledExecutorService sw = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "session-sweeper");
            t.setDaemon(true);
            return t;
        });
        sw.scheduleWithFixedDelay(this::purgeSessions, 10, 10, java.util.concurrent.TimeUnit.MINUTES);
        sweeper = sw;
        Optional<String> first = accounts.bootstrapAdmin();
        first.ifPresent(password -> {
            console.println();
            console.println("  First start: an administrator account was created.");
            console.println("    username: admin");
            console.println("    password: " + password + "   (shown this once; 'steno accounts reset-password admin' issues a new one)");
            console.println();
        });
    }

    /** The database the settings name: PostgreSQL at db.url, else the embedded file under data.dir. */
    public static Database open(StenoConfig config) {
        IdentitySettings s = config.identity();
        return s.embeddedDatabase() ? Database.embedded(config.dataDir()) : Database.open(s.dbUrl(), s.dbUser(), s.dbPassword());
    }

    /** Expired sessions are deleted when they are next presented; this removes the ones never presented again. */
    private void purgeSessions() {
        try {
            int purged = sessions.purgeExpired();
            if (purged > 0) {
                LOG.info("removed {} expired session(s)", purged);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not remove expired sessions: {}", e.getMessage());
        }
    }

    @Override
    public void stop() {
        java.util.concurrent.ScheduledExecutorService sw = sweeper;
        sweeper = null;
        if (sw != null) {
            sw.shutdownNow();
        }
        OidcClient o = oidc;
        oidc = null;
        if (o != null) {
            o.close();
        }
        Database db = database;
        database = null;
        if (db != null) {
            db.close();
        }
    }

    @Override
    public Readiness readiness() {
        if (database == null) {
            return Readiness.notReady("not started");
        }
        // Anyone may read /readyz: it says what kind of store answers, not how many accounts or which provider.
        return Readiness.ready((config.identity().embeddedDatabase() ? "embedded database" : "PostgreSQL")
                + (config.identity().oidc() ? ", sign-in through an identity provider" : ", local accounts"));
    }

    public Accounts accounts() {
        return require(accounts);
    }

    public Sessions sessions() {
        return require(sessions);
    }

    public AuditLog auditLog() {
        return require(audit);
    }

    public MeetingStore meetings() {
        return require(meetings);
    }

    /** Which accounts were in which meeting. */
    public org.steno.identity.MeetingAttendance attendance() {
        return require(attendance);
    }

    /** Meetings under legal hold. */
    public org.steno.identity.LegalHolds legalHolds() {
        return require(holds);
    }

    /** Retention periods an administrator set (the platform's, a meeting's own). */
    public org.steno.identity.RetentionSettings retentionSettings() {
        return require(retention);
    }

    /** Records the signed-in accounts entering meetings (add it to the meeting registry). */
    public org.steno.conference.meeting.MeetingListener attendanceRecorder() {
        return new AttendanceRecorder(this, clock);
    }

    /**
     * The meetings an account may open the archive of, other than as an auditor: those it owns
     * and those it attended (designated hosts come with their own change).
     */
    public java.util.Set<String> meetingsOpenTo(String accountId) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        meetings().byOwner(accountId).forEach(m -> out.add(m.id()));
        out.addAll(attendance().meetingsOf(accountId));
        return out;
    }

    /** Reads the session cookie of each request; usable once started. */
    public org.steno.server.http.Authenticator authenticator() {
        return new SessionAuthenticator(this);
    }

    public org.steno.server.http.MeetingDirectory meetingDirectory() {
        return new StoredMeetingDirectory(this, clock);
    }

    public org.steno.server.http.AuditSink auditSink() {
        return new DatabaseAuditSink(this);
    }

    /** Audits participants entering and leaving meetings (add it to the meeting registry). */
    public org.steno.conference.meeting.MeetingListener presenceAudit() {
        return new MeetingPresenceAudit(this);
    }

    /** Whether the provider's claims decide roles ({@code auth.oidc.role-map} set) or the admin page does. */
    public boolean oidcRolesFromClaims() {
        return !config.identity().oidcRoleMap().isBlank();
    }

    public boolean oidcConfigured() {
        return config.identity().oidc();
    }

    /**
     * The provider's client, discovered on first use and kept: a provider that is down when
     * Steno starts does not stop local sign-in or meetings.
     */
    public synchronized OidcClient oidc() throws OidcException {
        IdentitySettings s = config.identity();
        if (!s.oidc()) {
            throw new OidcException("sign-in with an identity provider is not configured (auth.oidc.issuer)");
        }
        if (oidc == null && lastDiscoveryFailure != null
                && clock.instant().isBefore(lastDiscoveryFailureAt.plus(DISCOVERY_RETRY))) {
            // A provider that is down is asked again in a while, not by every request queued on this lock.
            throw lastDiscoveryFailure;
        }
        if (oidc == null) {
            Set<PlatformRole> defaults = PlatformRole.parseList(s.oidcDefaultRoles());
            OidcSettings settings = new OidcSettings(s.oidcIssuer(), s.oidcClientId(), s.oidcClientSecret(),
                    URI.create(stripSlash(publicUrl.get()) + AuthRoutes.OIDC_CALLBACK),
                    java.util.List.of("openid", "profile", "email"), s.oidcRoleClaim(),
                    OidcSettings.parseRoleMap(s.oidcRoleMap()), defaults);
            try {
                oidc = OidcClient.discover(settings, java.time.Duration.ofSeconds(5), clock);
                lastDiscoveryFailure = null;
            } catch (OidcException e) {
                lastDiscoveryFailure = e;
                lastDiscoveryFailureAt = clock.instant();
                throw e;
            }
            LOG.info("identity provider {} discovered; roles {} by default", s.oidcIssuer(),
                    defaults.stream().map(PlatformRole::id).collect(Collectors.joining(",")));
        }
        return oidc;
    }

    public java.time.Duration sessionMaxAge() {
        return config.identity().sessionMaxAge();
    }

    /** The public URL without a trailing slash. */
    public String publicBase() {
        return stripSlash(publicUrl.get());
    }

    public boolean secureCookies() {
        return publicUrl.get().startsWith("https://");
    }

    private static <T> T require(T t) {
        if (t == null) {
            throw new IllegalStateException("identity is not started");
        }
        return t;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
