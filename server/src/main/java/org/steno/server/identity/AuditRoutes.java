package org.steno.server.identity;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.steno.access.Action;
import org.steno.identity.AuditEntry;
import org.steno.identity.AuditExport;
import org.steno.server.http.GuardedRoutes;
import org.steno.server.http.HttpRoutes;
import org.steno.server.http.Route;

/**
 * {@code GET /api/audit?from=&to=&subject=&action=&limit=&format=json|csv}: the audit log for
 * auditors and administrators, in the export formats {@code steno audit verify --file} reads
 * back (so an export can be checked away from the server). Reading it is itself audited.
 */
public final class AuditRoutes implements HttpRoutes {

    private static final int MAX_LIMIT = 10_000;

    private final IdentityRole identity;

    public AuditRoutes(IdentityRole identity) {
        this.identity = identity;
    }

    @Override
    public void register(GuardedRoutes routes) {
        routes.get("/api/audit", Action.READ_AUDIT, Route.On.AUDIT, this::read);
    }

    private void read(Context ctx) throws java.io.IOException {
        Instant from;
        Instant to;
        int limit;
        try {
            from = instant(ctx.queryParam("from"));
            to = instant(ctx.queryParam("to"));
            String l = ctx.queryParam("limit");
            limit = l == null ? 1000 : Integer.parseInt(l);
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new NumberFormatException();
            }
        } catch (DateTimeParseException e) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "from and to are ISO-8601 instants, e.g. 2026-12-01T00:00:00Z"));
            return;
        } catch (NumberFormatException e) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "limit is a number from 1 to " + MAX_LIMIT));
            return;
        }
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        if (!format.equals("json") && !format.equals("csv")) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "format is json or csv"));
            return;
        }
        List<AuditEntry> entries = identity.auditLog().query(from, to, blankToNull(ctx.queryParam("subject")),
                blankToNull(ctx.queryParam("action")), limit);
        StringWriter out = new StringWriter();
        if (format.equals("csv")) {
            AuditExport.writeCsv(entries, out);
            ctx.contentType("text/csv; charset=utf-8").header("Content-Disposition", "attachment; filename=\"steno-audit.csv\"");
        } else {
            AuditExport.writeJson(entries, out);
            ctx.contentType("application/json");
        }
        ctx.header("Cache-Control", "no-store").result(out.toString());
    }

    private static Instant instant(String s) {
        return s == null || s.isBlank() ? null : Instant.parse(s);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
