package org.steno.server.identity;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.steno.access.Action;
import org.steno.identity.Account;
import org.steno.identity.AccountException;
import org.steno.identity.PlatformRole;
import org.steno.server.http.GuardedRoutes;
import org.steno.server.http.HttpRoutes;
import org.steno.server.http.Route;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The administrators' side of accounts: the admin page and its API. Each change is one
 * ADMINISTER decision of the guard, so it is in the audit log with the account it touched.
 * Disabling an account ends its sessions at their next request.
 */
public final class AccountRoutes implements HttpRoutes {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final IdentityRole identity;

    public AccountRoutes(IdentityRole identity) {
        this.identity = identity;
    }

    @Override
    public void register(GuardedRoutes routes) {
        // The page is a shell; the API below is what needs the administrator role.
        routes.get("/admin", Action.VIEW, Route.On.WEB, ctx -> AuthRoutes.page(ctx, "/web/admin.html"));
        routes.get("/api/accounts", Action.ADMINISTER, Route.On.ACCOUNTS, ctx ->
                ctx.json(Map.of("accounts", identity.accounts().list().stream().map(AccountRoutes::view).toList())));
        routes.post("/api/accounts", Action.ADMINISTER, Route.On.ACCOUNTS, this::create);
        routes.post("/api/accounts/{username}/disable", Action.ADMINISTER, Route.On.ACCOUNTS, ctx -> change(ctx, "disable"));
        routes.post("/api/accounts/{username}/enable", Action.ADMINISTER, Route.On.ACCOUNTS, ctx -> change(ctx, "enable"));
        routes.post("/api/accounts/{username}/reset-password", Action.ADMINISTER, Route.On.ACCOUNTS, ctx -> change(ctx, "reset-password"));
        routes.post("/api/accounts/{username}/roles", Action.ADMINISTER, Route.On.ACCOUNTS, ctx -> change(ctx, "roles"));
    }

    private void create(Context ctx) {
        JsonNode body = body(ctx);
        if (body == null || !body.path("username").isString()) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error",
                    "send {\"username\": \"…\", \"displayName\": \"…\", \"roles\": [\"agent\"]}"));
            return;
        }
        String username = body.path("username").asString();
        String display = body.path("displayName").isString() ? body.path("displayName").asString() : username;
        try {
            Set<PlatformRole> roles = roles(body.path("roles"));
            String password = org.steno.identity.PasswordHasher.generatePassword();
            Account a = identity.accounts().createLocal(username, display, password.toCharArray(), roles);
            audit(ctx, a.username(), "ACCOUNT_CREATE", "roles " + names(roles));
            Map<String, Object> out = view(a);
            out.put("password", password); // shown once, to the administrator who gives it to the person
            ctx.status(HttpStatus.CREATED).header("Cache-Control", "no-store").json(out);
        } catch (AccountException | IllegalArgumentException e) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", e.getMessage()));
        }
    }

    private void change(Context ctx, String what) {
        String username = ctx.pathParam("username");
        try {
            Map<String, Object> out = new LinkedHashMap<>();
            String detail = "";
            switch (what) {
                case "disable" -> {
                    refuseIfLastAdmin(username, java.util.Set.of());
                    identity.accounts().disable(username);
                    identity.accounts().byUsername(username).ifPresent(a -> identity.sessions().revokeAll(a.id()));
                }
                case "enable" -> identity.accounts().enable(username);
                case "reset-password" -> {
                    out.put("password", identity.accounts().resetPassword(username));
                    // Whoever knew the old password may hold a session: it ends with the password.
                    identity.accounts().byUsername(username).ifPresent(a -> identity.sessions().revokeAll(a.id()));
                }
                case "roles" -> {
                    JsonNode body = body(ctx);
                    if (body == null || !body.path("roles").isArray()) {
                        ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "send {\"roles\": [\"agent\", \"auditor\"]}"));
                        return;
                    }
                    Set<PlatformRole> roles = roles(body.path("roles"));
                    refuseIfLastAdmin(username, roles);
                    identity.accounts().setRoles(username, roles);
                    detail = "roles " + names(roles);
                }
                default -> throw new IllegalStateException(what);
            }
            audit(ctx, username, "ACCOUNT_" + what.toUpperCase(java.util.Locale.ROOT).replace('-', '_'), detail);
            Account a = identity.accounts().byUsername(username).orElseThrow(() -> new AccountException("no account " + username));
            out.putAll(view(a));
            ctx.header("Cache-Control", "no-store").json(out);
        } catch (LastAdministrator e) {
            ctx.status(HttpStatus.CONFLICT).json(Map.of("error", e.getMessage()));
        } catch (AccountException | IllegalArgumentException e) {
            boolean unknown = identity.accounts().byUsername(username).isEmpty();
            ctx.status(unknown ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST).json(Map.of("error", e.getMessage()));
        }
    }

    /** Nobody may leave the platform without an active administrator: recovery would need the host. */
    private void refuseIfLastAdmin(String username, Set<PlatformRole> keeps) {
        if (keeps.contains(PlatformRole.ADMIN)) {
            return;
        }
        Account target = identity.accounts().byUsername(username).orElse(null);
        if (target == null || target.disabled() || !target.roles().contains(PlatformRole.ADMIN)) {
            return;
        }
        long others = identity.accounts().list().stream()
                .filter(a -> !a.disabled() && a.roles().contains(PlatformRole.ADMIN) && !a.id().equals(target.id())).count();
        if (others == 0) {
            throw new LastAdministrator("'" + username + "' is the last active administrator; make someone else one first");
        }
    }

    private static final class LastAdministrator extends RuntimeException {
        LastAdministrator(String sentence) {
            super(sentence);
        }
    }

    /** The change, with what changed, as one audit entry by the administrator who made it. */
    private void audit(Context ctx, String username, String action, String detail) {
        identity.auditLog().append(DatabaseAuditSink.record(org.steno.server.http.HttpGuard.caller(ctx), action,
                "accounts:" + username, true, detail));
    }

    private static Set<PlatformRole> roles(JsonNode n) {
        Set<PlatformRole> roles = new java.util.HashSet<>();
        if (n.isMissingNode() || n.isNull()) {
            return Set.of(PlatformRole.AGENT);
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("roles must be a list such as [\"agent\", \"auditor\"]");
        }
        for (JsonNode r : n) {
            roles.add(PlatformRole.parse(r.asString("")));
        }
        return roles;
    }

    private static JsonNode body(Context ctx) {
        try {
            return JSON.readTree(ctx.body());
        } catch (JacksonException e) {
            return null;
        }
    }

    static Map<String, Object> view(Account a) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("username", a.username());
        v.put("displayName", a.displayName());
        v.put("roles", a.roles().stream().map(PlatformRole::id).collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
        v.put("source", a.source());
        v.put("disabled", a.disabled());
        v.put("createdAt", a.createdAt().toString());
        return v;
    }

    static List<String> names(Set<PlatformRole> roles) {
        return roles.stream().map(PlatformRole::id).sorted().toList();
    }
}
