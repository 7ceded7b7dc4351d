package org.steno.server.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.steno.access.Access;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;
import org.steno.identity.Account;
import org.steno.identity.AccountException;
import org.steno.identity.Accounts;
import org.steno.identity.AuditChain;
import org.steno.identity.AuditExport;
import org.steno.identity.AuditLog;
import org.steno.identity.AuditRecord;
import org.steno.identity.Database;
import org.steno.identity.DatabaseException;
import org.steno.identity.Outcome;
import org.steno.identity.PasswordHasher;
import org.steno.identity.PlatformRole;
import org.steno.identity.Sessions;
import org.steno.identity.VerifyResult;
import org.steno.server.access.StenoPolicy;
import org.steno.server.config.ConfigException;
import org.steno.server.config.ConfigLoader;
import org.steno.server.config.StenoConfig;
import org.steno.server.identity.IdentityRole;

/**
 * {@code steno accounts add|list|disable|enable|reset-password|roles} and
 * {@code steno audit verify|export}: the operator's commands on the same database the server
 * uses (db.url, or the embedded file under data.dir, which only one process may open: stop
 * {@code steno up} first, or use the admin page). Each command is judged by the policy as the
 * CLI operator and written to the audit log.
 */
public final class AdminTool {

    private AdminTool() {
    }

    public static int run(String command, String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Path configFile = null;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                configFile = Path.of(args[++i]);
            } else if (args[i].startsWith("--config=")) {
                configFile = Path.of(args[i].substring("--config=".length()));
            } else {
                words.add(args[i]);
            }
        }
        if (words.isEmpty() || words.get(0).equals("help")) {
            usage(command, words.isEmpty() ? err : out);
            return words.isEmpty() ? 2 : 0;
        }
        if (command.equals("audit") && words.get(0).equals("verify") && words.size() == 3 && words.get(1).equals("--file")) {
            return verifyFile(Path.of(words.get(2)), out, err);
        }
        StenoConfig config;
        try {
            config = ConfigLoader.load(configFile, env);
        } catch (ConfigException e) {
            err.println("steno: " + e.getMessage());
            return 2;
        }
        Action action = command.equals("audit") ? Action.READ_AUDIT : Action.ADMINISTER;
        if (command.equals("accounts") && words.get(0).equals("list")) {
            action = Action.ADMINISTER;
        }
        Caller operator = new Caller("cli:" + System.getProperty("user.name", "unknown"), Set.of(StenoPolicy.OPERATOR), "local",
                Caller.Channel.CLI);
        Access policy = new StenoPolicy();
        Resource resource = new Resource(command.equals("audit") ? "audit" : "accounts", words.size() > 1 ? words.get(1) : "");
        Decision d = policy.check(operator, action, resource);
        if (!d.allowed()) {
            err.println("steno: " + d.reason());
            return 1;
        }
        try (Database db = IdentityRole.open(config)) {
            AuditLog audit = new AuditLog(db, Clock.systemUTC());
            int code = command.equals("audit") ? audit(words, audit, out, err) : accounts(words, db, config, out, err);
            if (!(command.equals("audit") || words.get(0).equals("list")) || code == 0) {
                audit.append(new AuditRecord(operator.subject(), StenoPolicy.OPERATOR, "local",
                        (command + "." + words.get(0)).toUpperCase(java.util.Locale.ROOT), resource.toString(),
                        code == 0 ? Outcome.ALLOWED : Outcome.DENIED, code == 0 ? "" : "command failed"));
            }
            return code;
        } catch (DatabaseException e) {
            String m = e.getMessage();
            err.println("steno: " + m + (config.identity().embeddedDatabase() && (m.contains("already in use") || m.contains("lock"))
                    ? " (is 'steno up' running on this data.dir? stop it first, or use the admin page at /admin)" : ""));
            return 1;
        }
    }

    private static int accounts(List<String> w, Database db, StenoConfig config, PrintStream out, PrintStream err) {
        Accounts accounts = new Accounts(db, Clock.systemUTC(), new PasswordHasher());
        String sub = w.get(0);
        try {
            switch (sub) {
                case "list" -> {
                    out.printf("%-24s %-28s %-22s %-6s %s%n", "USERNAME", "NAME", "ROLES", "SOURCE", "STATE");
                    for (Account a : accounts.list()) {
                        out.printf("%-24s %-28s %-22s %-6s %s%n", a.username(), a.displayName(),
                                String.join(",", a.roles().stream().map(PlatformRole::id).sorted().toList()), a.source(),
                                a.disabled() ? "disabled" : "active");
                    }
                    return 0;
                }
                case "add" -> {
                    if (w.size() < 2) {
                        err.println("usage: steno accounts add USERNAME [--name \"Full Name\"] [--roles agent,auditor]");
                        return 2;
                    }
                    String name = option(w, "--name", w.get(1));
                    Set<PlatformRole> roles = PlatformRole.parseList(option(w, "--roles", "agent"));
                    String password = PasswordHasher.generatePassword();
                    accounts.createLocal(w.get(1), name, password.toCharArray(), roles);
                    out.println("created " + w.get(1) + "; one-time password (shown once): " + password);
                    return 0;
                }
                case "disable" -> {
                    accounts.disable(need(w));
                    accounts.byUsername(w.get(1)).ifPresent(a -> new Sessions(db, Clock.systemUTC(),
                            config.identity().sessionIdleTimeout(), config.identity().sessionMaxAge()).revokeAll(a.id()));
                    out.println("disabled " + w.get(1) + " and ended its sessions");
                    return 0;
                }
                case "enable" -> {
                    accounts.enable(need(w));
                    out.println("enabled " + w.get(1));
                    return 0;
                }
                case "reset-password" -> {
                    out.println("new one-time password for " + w.get(1) + " (shown once): " + accounts.resetPassword(need(w)));
                    // Whoever knew the old password may hold a session: it ends with the password.
                    accounts.byUsername(w.get(1)).ifPresent(a -> new Sessions(db, Clock.systemUTC(),
                            config.identity().sessionIdleTimeout(), config.identity().sessionMaxAge()).revokeAll(a.id()));
                    return 0;
                }
                case "roles" -> {
                    if (w.size() != 3) {
                        err.println("usage: steno accounts roles USERNAME agent,auditor");
                        return 2;
                    }
                    accounts.setRoles(w.get(1), PlatformRole.parseList(w.get(2)));
                    out.println(w.get(1) + " now has roles " + w.get(2));
                    return 0;
                }
                default -> {
                    usage("accounts", err);
                    return 2;
                }
            }
        } catch (AccountException | IllegalArgumentException e) {
            err.println("steno: " + e.getMessage());
            return 1;
        }
    }

    private static int audit(List<String> w, AuditLog audit, PrintStream out, PrintStream err) {
        switch (w.get(0)) {
            case "verify" -> {
                VerifyResult r = audit.verify();
                (r.ok() ? out : err).println((r.ok() ? "audit log intact: " : "audit log BROKEN: ") + r.message());
                return r.ok() ? 0 : 1;
            }
            case "export" -> {
                String format = option(w, "--format", "json");
                try {
                    java.io.Writer writer = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
                    if (format.equals("csv")) {
                        AuditExport.writeCsv(audit.all(), writer);
                    } else {
                        AuditExport.writeJson(audit.all(), writer);
                    }
                    writer.flush();
                    return 0;
                } catch (IOException e) {
                    err.println("steno: cannot write the export: " + e.getMessage());
                    return 1;
                }
            }
            default -> {
                usage("audit", err);
                return 2;
            }
        }
    }

    /** Checks an export (JSON or CSV) away from the database: the chain must hold from its first entry. */
    private static int verifyFile(Path file, PrintStream out, PrintStream err) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            var entries = file.toString().endsWith(".csv") ? AuditExport.readCsv(in) : AuditExport.readJson(in);
            VerifyResult r = AuditChain.verify(entries);
            (r.ok() ? out : err).println((r.ok() ? "export intact: " : "export BROKEN: ") + r.message());
            return r.ok() ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            err.println("steno: cannot read " + file + " as an audit export: " + e.getMessage());
            return 1;
        }
    }

    private static String need(List<String> w) {
        if (w.size() < 2) {
            throw new IllegalArgumentException("name the account: steno accounts " + w.get(0) + " USERNAME");
        }
        return w.get(1);
    }

    private static String option(List<String> w, String name, String fallback) {
        int i = w.indexOf(name);
        return i >= 0 && i + 1 < w.size() ? w.get(i + 1) : fallback;
    }

    private static void usage(String command, PrintStream out) {
        if (command.equals("audit")) {
            out.println("usage: steno audit verify | export [--format json|csv] | verify --file EXPORT  [--config FILE]");
        } else {
            out.println("usage: steno accounts list | add USERNAME [--name NAME] [--roles agent,auditor,admin]"
                    + " | disable USERNAME | enable USERNAME | reset-password USERNAME | roles USERNAME ROLES  [--config FILE]");
        }
    }
}
