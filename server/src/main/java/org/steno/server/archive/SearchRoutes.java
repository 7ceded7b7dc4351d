package org.steno.server.archive;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;
import org.steno.archive.Archive;
import org.steno.archive.query.BadQueryException;
import org.steno.archive.query.SearchQuery;
import org.steno.archive.query.SearchQueryParser;
import org.steno.archive.search.SearchResult;
import org.steno.archive.search.SearchScope;
import org.steno.archive.search.SortOrder;
import org.steno.server.access.StenoPolicy;
import org.steno.server.http.AuditSink;
import org.steno.server.http.GuardedRoutes;
import org.steno.server.http.HttpGuard;
import org.steno.server.http.HttpRoutes;
import org.steno.server.http.Route;

/**
 * {@code GET /api/search?q=&sort=relevance|date&page=&size=&from=&to=}: the archive's search,
 * results grouped by meeting; and {@code GET /search}, the page. Auditors and administrators
 * search every meeting, agents the meetings they may open (owned or attended); the scope is
 * part of the query, so no total or facet counts another meeting. Every search is one audit
 * entry: who, the query, the scope and how many results (or why it was refused).
 * {@code POST /api/search/hold} puts every meeting a search finds under legal hold (auditors and
 * administrators).
 */
public final class SearchRoutes implements HttpRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(SearchRoutes.class);
    private static final int DEFAULT_PAGE_SIZE = 10;

    private final Supplier<Archive> archive;
    private final Function<String, java.util.Set<String>> meetingsOpenTo;
    private final AuditSink audit;

    /**
     * @param meetingsOpenTo an account's meetings outside the auditor's view: owned or attended
     */
    /** Where a search's results are put under legal hold ({@code POST /api/search/hold}). */
    private final Supplier<org.steno.identity.LegalHolds> holds;
    private final java.time.Clock clock;
    /** A hold on more meetings than this at once is refused: a search that wide is a mistake, not a case. */
    static final int MAX_HELD_AT_ONCE = 1000;

    public SearchRoutes(Supplier<Archive> archive, Function<String, java.util.Set<String>> meetingsOpenTo, AuditSink audit) {
        this(archive, meetingsOpenTo, audit, () -> {
            throw new IllegalStateException("no legal holds in this process");
        }, java.time.Clock.systemUTC());
    }

    public SearchRoutes(Supplier<Archive> archive, Function<String, java.util.Set<String>> meetingsOpenTo, AuditSink audit,
                        Supplier<org.steno.identity.LegalHolds> holds, java.time.Clock clock) {
        this.archive = archive;
        this.meetingsOpenTo = meetingsOpenTo;
        this.audit = audit;
        this.holds = holds;
        this.clock = clock;
    }

    @Override
    public void register(GuardedRoutes routes) {
        routes.get("/api/search", Action.SEARCH_ARCHIVE, Route.On.ARCHIVE, this::search);
        routes.post("/api/search/hold", Action.LEGAL_HOLD, Route.On.ARCHIVE, this::holdResults);
        // The page is a shell: the results come from the API above, judged there.
        routes.get("/search", Action.VIEW, Route.On.WEB, this::page);
    }

    /** Everything for auditors and administrators; an agent's own meetings otherwise. */
    static SearchScope scopeOf(Caller caller, Function<String, java.util.Set<String>> meetingsOpenTo) {
        if (caller.roles().contains(StenoPolicy.AUDITOR) || caller.roles().contains(StenoPolicy.ADMIN)) {
            return SearchScope.all();
        }
        return SearchScope.only(meetingsOpenTo.apply(caller.subject()));
    }

    private void search(Context ctx) {
        Caller caller = HttpGuard.caller(ctx);
        String q = ctx.queryParam("q");
        String asked = "q=" + quoted(q) + " sort=" + ctx.queryParam("sort") + " page=" + ctx.queryParam("page");
        SearchScope scope = null;
        try {
            SearchQuery query = query(q, ctx.queryParam("from"), ctx.queryParam("to"));
            SortOrder sort = SortOrder.parse(ctx.queryParam("sort"));
            int page = number(ctx.queryParam("page"), 1, "page");
            int size = number(ctx.queryParam("size"), DEFAULT_PAGE_SIZE, "size");
            scope = scopeOf(caller, meetingsOpenTo);
            SearchResult r = archive.get().search(query, scope, sort, page, size);
            audited(caller, scope, asked + " → " + r.totalMeetings() + " meeting(s), " + r.totalHits() + " hit(s)");
            ctx.json(json(r));
        } catch (BadQueryException e) {
            audited(caller, scope, asked + " → refused: " + e.getMessage());
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", e.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("search failed: {}", e.toString());
            audited(caller, scope, asked + " → failed");
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error", "the search index cannot be read just now; try again shortly"));
        }
    }

    /** The query with its date range: {@code from} and {@code to} are days, both included. */
    private static SearchQuery query(String q, String fromDay, String toDay) {
        SearchQuery query = SearchQueryParser.parse(q);
        Long from = fromDay == null || fromDay.isBlank() ? null : SearchQueryParser.dateStart(fromDay, "from");
        Long to = toDay == null || toDay.isBlank() ? null : SearchQueryParser.dateEnd(toDay, "to");
        query = query.withDates(from, to);
        if (query.fromMillis() != null && query.toMillis() != null && query.fromMillis() >= query.toMillis()) {
            throw new BadQueryException("from is after to; the range has no day in it");
        }
        return query;
    }

    /**
     * {@code POST /api/search/hold} {@code {"q": "…", "from": "2026-01-01", "to": "…", "reason": "…"}}: every
     * meeting the search finds (an auditor's search sees them all) is put under legal hold with the
     * reason, each held meeting one audit entry, and the whole request one more.
     */
    private void holdResults(Context ctx) {
        Caller caller = HttpGuard.caller(ctx);
        tools.jackson.databind.JsonNode body;
        try {
            body = tools.jackson.databind.json.JsonMapper.builder().build().readTree(ctx.body() == null ? "" : ctx.body());
        } catch (tools.jackson.core.JacksonException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error",
                    "the body is JSON: {\"q\": \"the search\", \"from\": \"2026-01-01\", \"to\": \"2026-12-31\", \"reason\": \"why\"}"));
            return;
        }
        String reason = body.path("reason").asString("").strip();
        if (reason.isEmpty() || reason.length() > HoldRoutes.MAX_REASON) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "a legal hold needs a reason of 1 to " + HoldRoutes.MAX_REASON + " characters"));
            return;
        }
        String q = body.path("q").asString(null);
        String asked = "q=" + quoted(q);
        try {
            SearchQuery query = query(q, body.path("from").asString(null), body.path("to").asString(null));
            SearchScope scope = scopeOf(caller, meetingsOpenTo);
            List<String> meetings = archive.get().meetingsMatching(query, scope, MAX_HELD_AT_ONCE);
            org.steno.identity.LegalHolds h = holds.get();
            java.time.Instant now = clock.instant();
            for (String m : meetings) {
                h.place(m, reason, caller.subject(), now);
                audit.decided(caller, Action.LEGAL_HOLD, Resource.meeting(m), Decision.allow("legal hold placed: " + reason),
                        "POST /api/search/hold " + asked);
            }
            audit.decided(caller, Action.LEGAL_HOLD, new Resource("archive", ""),
                    Decision.allow("legal hold placed on " + meetings.size() + " meeting(s) a search found: " + reason),
                    "POST /api/search/hold " + asked);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("held", meetings);
            out.put("count", meetings.size());
            out.put("reason", reason);
            ctx.json(out);
        } catch (BadQueryException e) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", e.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("holding a search's results failed: {}", e.toString());
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error", "the search index or the database cannot be used just now; nothing more was held"));
        }
    }

    private void audited(Caller caller, SearchScope scope, String what) {
        audit.decided(caller, Action.SEARCH_ARCHIVE, new Resource("archive", ""),
                Decision.allow("searched " + (scope == null ? "nothing" : scope.toString())), "GET /api/search " + what);
    }

    private static int number(String v, int dflt, String name) {
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new BadQueryException(name + " is a whole number, not " + quoted(v));
        }
    }

    private static String quoted(String s) {
        if (s == null) {
            return "(none)";
        }
        String shown = s.length() > 200 ? s.substring(0, 200) + "…(" + s.length() + " characters)" : s;
        return "\"" + shown + "\"";
    }

    /** The response: the result with, on each hit, the archive page's address at that moment. */
    static Map<String, Object> json(SearchResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("totalMeetings", r.totalMeetings());
        out.put("totalHits", r.totalHits());
        out.put("page", r.page());
        out.put("pageSize", r.pageSize());
        out.put("sort", r.sort());
        List<Map<String, Object>> meetings = new ArrayList<>();
        for (SearchResult.MeetingHits m : r.meetings()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("meetingId", m.meetingId());
            mm.put("title", m.title());
            mm.put("date", java.time.Instant.ofEpochMilli(m.dateMillis()).toString());
            mm.put("hitCount", m.hitCount());
            List<Map<String, Object>> hits = new ArrayList<>();
            for (SearchResult.Hit h : m.hits()) {
                Map<String, Object> hh = new LinkedHashMap<>();
                hh.put("transcriptId", h.transcriptId());
                hh.put("segmentId", h.segmentId());
                hh.put("speaker", h.speaker());
                hh.put("startMs", h.startMs());
                hh.put("endMs", h.endMs());
                hh.put("language", h.language());
                hh.put("text", h.text());
                hh.put("highlights", h.highlights());
                hh.put("url", "/m/" + m.meetingId() + "/archive#t=" + (h.startMs() / 1000));
                hits.add(hh);
            }
            mm.put("hits", hits);
            meetings.add(mm);
        }
        out.put("meetings", meetings);
        out.put("facets", Map.of("speaker", r.speakers(), "month", r.months()));
        return out;
    }

    private void page(Context ctx) throws IOException {
        try (InputStream in = SearchRoutes.class.getResourceAsStream("/web/search.html")) {
            if (in == null) {
                ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(Map.of("error", "the search page is missing from this build"));
                return;
            }
            ctx.contentType("text/html; charset=utf-8").result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
