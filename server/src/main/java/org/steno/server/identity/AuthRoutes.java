package org.steno.server.identity;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.identity.Account;
import org.steno.identity.OpenedSession;
import org.steno.identity.PlatformRole;
import org.steno.identity.oidc.LoginStart;
import org.steno.identity.oidc.OidcClient;
import org.steno.identity.oidc.OidcException;
import org.steno.identity.oidc.OidcIdentity;
import org.steno.server.http.Authenticator;
import org.steno.server.http.GuardedRoutes;
import org.steno.server.http.HttpGuard;
import org.steno.server.http.HttpRoutes;
import org.steno.server.http.LogSafe;
import org.steno.server.http.RateLimits;
import org.steno.server.http.Route;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signing in and out: the sign-in page, local accounts ({@code POST /auth/login}), the identity
 * provider's code flow ({@code /auth/oidc/start} → provider → {@code /auth/oidc/callback}),
 * {@code POST /auth/logout}, and {@code GET /api/me}, which tells the page who is signed in and
 * gives it the CSRF token. Every sign-in, failure and sign-out is an audit entry.
 */
public final class AuthRoutes implements HttpRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(AuthRoutes.class);
    static final String OIDC_CALLBACK = "/auth/oidc/callback";
    /** Binds a code flow to the browser that started it, so a stranger's callback link signs nobody in. */
    private static final String STATE_COOKIE = "steno_oidc_state";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final IdentityRole identity;
    /** Per account, on top of the guard's per-address limit: a slow password guesser spread over addresses. */
    private final RateLimits perAccount = new RateLimits(Map.of(Action.SIGN_IN, new RateLimits.Limit(10)));
    /** ID tokens of provider sessions, for the provider's logout (id_token_hint); lost on restart, which only skips that hint. */
    private final Map<String, String> idTokens = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_ID_TOKENS; // the oldest provider sessions then log out of Steno only
        }
    });
    private static final int MAX_ID_TOKENS = 10_000;

    public AuthRoutes(IdentityRole identity) {
        this.identity = identity;
    }

    @Override
    public void register(GuardedRoutes routes) {
        routes.get("/login", Action.VIEW, Route.On.WEB, ctx -> page(ctx, "/web/login.html"));
        routes.get("/api/me", Action.VIEW, Route.On.WEB, this::me);
        routes.post("/auth/login", Action.SIGN_IN, Route.On.ACCOUNTS, this::login);
        routes.post("/auth/logout", Action.SIGN_IN, Route.On.ACCOUNTS, this::logout);
        routes.get("/auth/oidc/start", Action.SIGN_IN, Route.On.ACCOUNTS, this::oidcStart);
        routes.get(OIDC_CALLBACK, Action.SIGN_IN, Route.On.ACCOUNTS, this::oidcCallback);
    }

    private void me(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        Optional<Authenticator.SignedIn> who = HttpGuard.signedIn(ctx);
        out.put("signedIn", who.isPresent());
        out.put("oidc", identity.oidcConfigured());
        who.ifPresent(s -> {
            out.put("username", s.username());
            out.put("displayName", s.displayName());
            out.put("roles", new java.util.TreeSet<>(s.roles()));
            out.put("csrfToken", s.csrfToken());
        });
        ctx.header("Cache-Control", "no-store").json(out);
    }

    private void login(Context ctx) {
        String username;
        char[] password;
        try {
            JsonNode body = JSON.readTree(ctx.body());
            if (body == null || !body.path("username").isString() || !body.path("password").isString()) {
                throw new IllegalArgumentException();
            }
            username = body.path("username").asString().strip();
            password = body.path("password").asString().toCharArray();
        } catch (JacksonException | IllegalArgumentException e) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "send {\"username\": \"…\", \"password\": \"…\"}"));
            return;
        }
        Caller caller = HttpGuard.caller(ctx);
        long wait = perAccount.retryAfterSeconds(Action.SIGN_IN, username.toLowerCase(java.util.Locale.ROOT));
        // A failed attempt names what was typed in the resource, never as the subject: the subject
        // is who is known to act, and the typed text is the attacker's choice.
        String tried = "accounts:" + username;
        if (wait > 0) {
            auditAttempt(caller, tried, "too many attempts for this account");
            ctx.header("Retry-After", Long.toString(wait)).status(429)
                    .json(Map.of("error", "too many sign-in attempts for this account; try again in " + wait + " s"));
            return;
        }
        Optional<Account> account = identity.accounts().authenticate(username, password);
        java.util.Arrays.fill(password, '\0');
        if (account.isEmpty()) {
            auditAttempt(caller, tried, "wrong username or password, or account disabled");
            ctx.status(HttpStatus.UNAUTHORIZED).json(Map.of("error", "wrong username or password (or the account is disabled)"));
            return;
        }
        OpenedSession s = startSession(ctx, account.get());
        audit(caller, account.get().id(), "SIGN_IN", true, "password");
        ctx.json(Map.of("username", account.get().username(), "displayName", account.get().displayName(),
                "csrfToken", s.session().csrfToken()));
    }

    private OpenedSession startSession(Context ctx, Account account) {
        String old = SessionCookie.read(ctx);
        if (old != null && !old.isEmpty()) {
            identity.sessions().revoke(old); // a new sign-in never keeps a session id someone else may have set
        }
        OpenedSession s = identity.sessions().open(account.id());
        SessionCookie.set(ctx, s.token(), identity.sessionMaxAge(), identity.secureCookies());
        return s;
    }

    private void logout(Context ctx) {
        Caller caller = HttpGuard.caller(ctx);
        String token = SessionCookie.read(ctx);
        String logoutUrl = null;
        if (token != null && !token.isEmpty()) {
            String sessionId = identity.sessions().resolve(token).map(org.steno.identity.Session::id).orElse(null);
            identity.sessions().revoke(token);
            String idToken = sessionId == null ? null : idTokens.remove(sessionId);
            if (idToken != null) {
                try {
                    logoutUrl = identity.oidc().logoutUrl(idToken, URI.create(identity.publicBase() + "/login"))
                            .map(URI::toString).orElse(null);
                } catch (OidcException e) {
                    LOG.info("provider logout skipped: {}", e.getMessage());
                }
            }
        }
        SessionCookie.clear(ctx, identity.secureCookies());
        if (!caller.isAnonymous()) {
            audit(caller, caller.subject(), "SIGN_OUT", true, "");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("signedIn", false);
        if (logoutUrl != null) {
            out.put("logoutUrl", logoutUrl); // the page sends the browser there to end the provider's session too
        }
        ctx.json(out);
    }

    private void oidcStart(Context ctx) {
        OidcClient client;
        try {
            client = identity.oidc();
        } catch (OidcException e) {
            errorPage(ctx, HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
            return;
        }
        LoginStart start = client.begin();
        ctx.header("Set-Cookie", STATE_COOKIE + "=" + start.state() + "; Path=/auth/oidc; Max-Age=600; HttpOnly; SameSite=Lax"
                + (identity.secureCookies() ? "; Secure" : ""));
        ctx.header("Cache-Control", "no-store").redirect(start.authorizationUrl().toString(), HttpStatus.FOUND);
    }

    private void oidcCallback(Context ctx) {
        Caller caller = HttpGuard.caller(ctx);
        String state = ctx.queryParam("state");
        String bound = ctx.cookie(STATE_COOKIE);
        ctx.header("Set-Cookie", STATE_COOKIE + "=; Path=/auth/oidc; Max-Age=0; HttpOnly; SameSite=Lax");
        if (state == null || bound == null || !java.security.MessageDigest.isEqual(
                state.getBytes(StandardCharsets.UTF_8), bound.getBytes(StandardCharsets.UTF_8))) {
            audit(caller, "", "SIGN_IN", false, "identity provider callback without this browser's sign-in");
            errorPage(ctx, HttpStatus.BAD_REQUEST, "this sign-in was not started from this browser, or has expired; start again");
            return;
        }
        OidcIdentity who;
        try {
            who = identity.oidc().complete(state, ctx.queryParam("code"), ctx.queryParam("error"));
        } catch (OidcException e) {
            audit(caller, "", "SIGN_IN", false, "identity provider: " + e.getMessage());
            errorPage(ctx, HttpStatus.UNAUTHORIZED, e.getMessage());
            return;
        }
        Account account;
        try {
            account = mirror(who);
        } catch (org.steno.identity.AccountException e) {
            audit(caller, "", "SIGN_IN", false, "identity provider account not usable: " + e.getMessage());
            errorPage(ctx, HttpStatus.FORBIDDEN, "your organisation's account cannot be used here: " + e.getMessage());
            return;
        }
        if (account.disabled()) {
            audit(caller, account.id(), "SIGN_IN", false, "account disabled");
            errorPage(ctx, HttpStatus.FORBIDDEN, "your account is disabled on this Steno; ask an administrator");
            return;
        }
        OpenedSession s = startSession(ctx, account);
        idTokens.put(s.session().id(), who.idToken());
        audit(caller, account.id(), "SIGN_IN", true, "identity provider " + who.issuer() + ", roles "
                + account.roles().stream().map(PlatformRole::id).sorted().toList());
        ctx.redirect("/", HttpStatus.FOUND);
    }

    /**
     * The provider's person as a Steno account. Its username is the provider's, made to fit
     * Steno's rule; when a different account already holds it (a local account of the same
     * name), a suffix from the provider's subject keeps them apart rather than merging them.
     */
    private Account mirror(OidcIdentity who) {
        String base = who.preferredUsername().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._@-]", "-")
                .replaceAll("^[^a-z0-9]+", "");
        if (base.isEmpty()) {
            base = "user";
        }
        base = base.length() > 50 ? base.substring(0, 50) : base;
        java.util.Set<PlatformRole> roles = rolesFor(who);
        try {
            return identity.accounts().upsertExternal(who.issuer(), who.subject(), base, who.displayName(), roles);
        } catch (org.steno.identity.AccountException taken) {
            String suffix = java.util.HexFormat.of().formatHex(sha256(who.issuer() + "\n" + who.subject())).substring(0, 8);
            return identity.accounts().upsertExternal(who.issuer(), who.subject(), base + "-" + suffix, who.displayName(), roles);
        }
    }

    /**
     * With a role map, the provider's claims decide at every sign-in (a person removed from
     * {@code steno-auditors} loses the role). Without one (ProConnect sends no groups), roles are
     * given on the admin page and kept; the default roles are only a new account's.
     */
    private java.util.Set<PlatformRole> rolesFor(OidcIdentity who) {
        if (identity.oidcRolesFromClaims()) {
            return who.roles();
        }
        String id = org.steno.identity.Accounts.externalId(who.issuer(), who.subject());
        return identity.accounts().find(id).map(Account::roles).orElse(who.roles());
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void auditAttempt(Caller caller, String resource, String reason) {
        identity.auditLog().append(DatabaseAuditSink.record(caller, "SIGN_IN", resource, false, reason));
    }

    private void audit(Caller caller, String subject, String action, boolean allowed, String reason) {
        Caller as = new Caller(subject.isEmpty() ? caller.subject() : subject, caller.roles(), caller.remoteAddress(), caller.channel());
        identity.auditLog().append(DatabaseAuditSink.record(as, action, "accounts", allowed, reason));
    }

    /** A plain page with one sentence: the sign-in failed, why, and a way back. */
    private static void errorPage(Context ctx, HttpStatus status, String sentence) {
        String safe = sentence.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        ctx.status(status).contentType("text/html; charset=utf-8").result("<!doctype html><html lang=\"en\"><head>"
                + "<meta charset=\"utf-8\"><title>Sign-in failed — Steno</title><link rel=\"stylesheet\" href=\"/style.css\"></head>"
                + "<body><main><h1>Sign-in failed</h1><p id=\"sign-in-error\">" + safe + "</p>"
                + "<p><a href=\"/login\">Back to sign-in</a></p></main></body></html>");
        LOG.info("sign-in failed: {}", LogSafe.of(sentence));
    }

    static void page(Context ctx, String resource) throws IOException {
        try (InputStream in = AuthRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(Map.of("error", "the page is missing from this build"));
                return;
            }
            ctx.contentType("text/html; charset=utf-8").result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
