package org.steno.conference.api;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.steno.conference.lobby.Lobby;
import org.steno.conference.lobby.LobbyFullException;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingIds;
import org.steno.conference.meeting.MeetingLimitException;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.meeting.Participant;
import org.steno.conference.meeting.ParticipantRole;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The meetings REST API, independent of the web framework (the server maps routes to it):
 * {@code POST /api/meetings}, {@code GET /api/meetings/<id>}, {@code POST /api/meetings/<id>/join}.
 * Who joins, and whether as host, is decided by the caller (the server knows the signed-in
 * account and the meeting's owner) and passed as a {@link Joiner}; the token binds it.
 */
public final class MeetingApi {

    public static final int MAX_BODY = 16 * 1024;
    public static final int MAX_NAME = 100;

    private final MeetingRegistry registry;
    private final JoinTokens tokens;
    private final Supplier<String> publicUrl;
    private final MeetingCatalog catalog;
    private final Lobby lobby;
    private final JsonMapper json = JsonMapper.builder().build();
    private final SecureRandom random = new SecureRandom();

    /** @param publicUrl base URL put in join links, without a trailing slash */
    public MeetingApi(MeetingRegistry registry, JoinTokens tokens, Supplier<String> publicUrl) {
        this(registry, tokens, publicUrl, MeetingCatalog.NONE);
    }

    /** @param catalog meetings kept beyond their live session, reopened when their link is used */
    public MeetingApi(MeetingRegistry registry, JoinTokens tokens, Supplier<String> publicUrl, MeetingCatalog catalog) {
        this(registry, tokens, publicUrl, catalog,
                new Lobby(java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(10), (m, w) -> { }));
    }

    /** @param lobby where those who must wait ask to enter */
    public MeetingApi(MeetingRegistry registry, JoinTokens tokens, Supplier<String> publicUrl, MeetingCatalog catalog,
                      Lobby lobby) {
        this.registry = registry;
        this.tokens = tokens;
        this.publicUrl = publicUrl;
        this.catalog = catalog;
        this.lobby = lobby;
    }

    public Lobby lobby() {
        return lobby;
    }

    public ApiResult create(String body) {
        JsonNode req;
        try {
            req = parseObject(body, true);
        } catch (BadRequest e) {
            return ApiResult.error(400, e.getMessage());
        }
        JsonNode t = req.path("title");
        if (!t.isMissingNode() && !t.isNull() && !t.isString()) {
            return ApiResult.error(400, "title must be a string");
        }
        String title = t.isString() ? t.asString().strip() : "";
        if (title.length() > 200) {
            return ApiResult.error(400, "title has " + title.length() + " characters; at most 200 are allowed");
        }
        Meeting m;
        try {
            m = registry.create(title);
        } catch (MeetingLimitException e) {
            return ApiResult.error(503, e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("joinUrl", joinUrl(m.id()));
        out.put("title", m.title());
        out.put("createdAt", m.createdAt().toString());
        return new ApiResult(201, out);
    }

    public ApiResult get(String id) {
        // A look never opens a meeting: an ended one stays ended (its files are being finalized)
        // until someone joins it.
        Optional<Meeting> live = liveMeeting(id);
        if (live.isEmpty()) {
            Optional<String> title = MeetingIds.isWellFormed(id) ? catalog.title(id) : Optional.empty();
            if (title.isEmpty()) {
                return notFound(id);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id);
            out.put("title", title.get());
            out.put("joinUrl", joinUrl(id));
            out.put("live", false);
            out.put("participantCount", 0);
            out.put("participants", List.of());
            out.put("captionsEnabled", false);
            out.put("recording", false);
            return ApiResult.ok(out);
        }
        Meeting m = live.get();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("title", m.title());
        out.put("joinUrl", joinUrl(m.id()));
        out.put("live", true);
        out.put("createdAt", m.createdAt().toString());
        List<Map<String, Object>> people = m.participants().stream().map(MeetingApi::publicView).toList();
        out.put("participantCount", people.size());
        out.put("participants", people);
        out.put("captionsEnabled", m.captionsEnabled());
        out.put("recording", m.recording());
        return ApiResult.ok(out);
    }

    /**
     * Who asks to join.
     *
     * @param accountId  the signed-in account, or null for a guest who came by link
     * @param host       whether they join as host (the meeting's owner or a designated host): hosts never wait
     * @param mustWait   whether the meeting's access level sends them to the lobby (a guest of a {@code trusted}
     *                   meeting, anyone not invited to a {@code restricted} one)
     * @param browserKey what recognises their browser while they wait and after they entered (an HttpOnly
     *                   cookie); null for a client without one, which then cannot be recognised again
     */
    public record Joiner(String accountId, boolean host, String accountName, boolean mustWait, String browserKey,
                         String organisation) {
        /** A guest of a public meeting (tests, tools). */
        public static final Joiner GUEST = new Joiner(null, false, null, false, null, null);

        /** A signed-in account whose name the person types (tests, tools). */
        public Joiner(String accountId, boolean host) {
            this(accountId, host, null, false, null, null);
        }

        /** A signed-in account of a public meeting (tests, tools). */
        public Joiner(String accountId, boolean host, String accountName) {
            this(accountId, host, accountName, false, null, null);
        }
    }

    public ApiResult join(String id, String body, Joiner who) {
        if (!MeetingIds.isWellFormed(id)) {
            return notFound(id);
        }
        // Someone who must wait does not open the meeting: an ended meeting stays ended until
        // someone who may enter comes (a guest polling the lobby would otherwise reopen it at once).
        Optional<Meeting> live = registry.get(id);
        Optional<String> title = live.isPresent() ? Optional.of(live.get().title()) : catalog.title(id);
        if (title.isEmpty()) {
            return notFound(id);
        }
        JsonNode req;
        try {
            req = parseObject(body, false);
        } catch (BadRequest e) {
            return ApiResult.error(400, e.getMessage());
        }
        JsonNode n = who.accountName() != null ? tools.jackson.databind.node.StringNode.valueOf(who.accountName())
                : req.path("displayName"); // an account's name is its own: nobody signs in as someone and shows another name
        if (!n.isString()) {
            return ApiResult.error(400, "displayName is required: a string of 1 to " + MAX_NAME + " characters");
        }
        String name = n.asString().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return ApiResult.error(400, "displayName must be 1 to " + MAX_NAME + " characters, got " + name.length());
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return ApiResult.error(400, "displayName must not contain control characters");
        }
        if (live.isPresent() && live.get().participantCount() >= registry.limits().maxParticipantsPerMeeting()) {
            return ApiResult.error(409, "meeting " + id + " is full");
        }
        String key = who.browserKey() != null ? who.browserKey() : "none:" + HexFormat.of().formatHex(randomBytes(16));
        if (!who.host() && lobby.mustWait(id, key, who.accountId(), who.mustWait())) {
            Lobby.Answer a;
            try {
                a = lobby.ask(id, key, name, who.accountId(), who.organisation());
            } catch (LobbyFullException e) {
                return ApiResult.error(503, e.getMessage());
            }
            switch (a.outcome()) {
                case WAITING -> {
                    return waiting(id, title.get(), registry.get(id).orElse(null), a);
                }
                case DENIED -> {
                    return lobbyOutcome(403, "denied", "a host of this meeting declined your request to join");
                }
                case TIMED_OUT -> {
                    return lobbyOutcome(403, "timed-out", "nobody let you in within "
                            + a.timeout().toMinutes() + " minutes; you may ask again");
                }
                case ADMITTED -> {
                    // in: the token below
                }
            }
        }
        Meeting m = find(id);
        if (m == null) {
            return notFound(id);
        }
        if (m.participantCount() >= registry.limits().maxParticipantsPerMeeting()) {
            return ApiResult.error(409, "meeting " + m.id() + " is full");
        }
        ParticipantRole role = who.host() ? ParticipantRole.HOST : ParticipantRole.PARTICIPANT;
        // One account may join from two devices: each join is its own participant.
        String identity = (who.accountId() == null ? "guest" : who.accountId()) + ":" + HexFormat.of().formatHex(randomBytes(8));
        String token = tokens.issue(m.id(), identity, name, role, Set.of(JoinGrant.PUBLISH, JoinGrant.SUBSCRIBE));
        lobby.entered(m.id(), identity, key, who.accountId());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "admitted");
        out.put("token", token);
        out.put("meetingId", m.id());
        out.put("identity", identity);
        out.put("displayName", name);
        out.put("role", role.name().toLowerCase(java.util.Locale.ROOT));
        out.put("expiresInSeconds", tokens.ttl().toSeconds());
        out.put("signalingPath", "/ws/meetings/" + m.id());
        return ApiResult.ok(out);
    }

    /**
     * 202: the person waits; the page asks again every {@code pollSeconds} with the same request.
     * {@code live} is false while the meeting is not running (it ended, or no host has opened it yet).
     */
    private static ApiResult waiting(String id, String title, Meeting live, Lobby.Answer a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "waiting");
        out.put("requestId", a.request().id());
        out.put("meetingId", id);
        out.put("title", title);
        out.put("live", live != null);
        out.put("recording", live != null && live.recording());
        out.put("captionsEnabled", live != null && live.captionsEnabled());
        out.put("pollSeconds", 2);
        long left = Math.max(0, a.timeout().minus(java.time.Duration.between(a.request().since(), java.time.Instant.now())).toSeconds());
        out.put("expiresInSeconds", left);
        return new ApiResult(202, out);
    }

    private static ApiResult lobbyOutcome(int status, String outcome, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", outcome);
        out.put("error", message);
        return new ApiResult(status, out);
    }

    /** Ends a live meeting for everyone (the host's "End for all"); its link opens it again later. */
    public ApiResult end(String id) {
        if (!MeetingIds.isWellFormed(id) || !registry.end(id, org.steno.conference.meeting.EndReason.ENDED_BY_HOST)) {
            return notFound(id);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("meetingId", id);
        out.put("ended", true);
        return ApiResult.ok(out);
    }

    /** Forgets per-meeting state once a meeting ended (called by the server's meeting listener). */
    public void meetingEnded(String id) {
        lobby.meetingEnded(id);
    }

    /** The meeting if it is live now (never reopens it). */
    public Optional<Meeting> liveMeeting(String id) {
        return MeetingIds.isWellFormed(id) ? registry.get(id) : Optional.empty();
    }

    public String joinUrl(String id) {
        return publicUrl.get() + "/m/" + id;
    }

    private Meeting find(String id) {
        if (!MeetingIds.isWellFormed(id)) {
            return null;
        }
        Optional<Meeting> live = registry.get(id);
        if (live.isPresent()) {
            return live.get();
        }
        Optional<String> known = catalog.title(id);
        try {
            return known.map(title -> registry.reopen(id, title)).orElse(null);
        } catch (MeetingLimitException e) {
            return null; // full: answered as not found rather than failing the request
        }
    }

    private static ApiResult notFound(String id) {
        String shown = id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "…" : id;
        return ApiResult.error(404, "no active meeting '" + shown + "'; check the link or create a new meeting");
    }

    private static Map<String, Object> publicView(Participant p) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", p.id());
        v.put("displayName", p.displayName());
        v.put("role", p.role().name().toLowerCase(java.util.Locale.ROOT));
        return v;
    }

    private JsonNode parseObject(String body, boolean emptyAllowed) throws BadRequest {
        if (body == null || body.isBlank()) {
            if (emptyAllowed) {
                return json.createObjectNode();
            }
            throw new BadRequest("a JSON object body is required, e.g. {\"displayName\": \"Alice\"}");
        }
        if (body.length() > MAX_BODY) {
            throw new BadRequest("request body of " + body.length() + " characters exceeds " + MAX_BODY);
        }
        JsonNode n;
        try {
            n = json.readTree(body);
        } catch (JacksonException e) {
            throw new BadRequest("request body is not valid JSON");
        }
        if (n == null || !n.isObject()) {
            throw new BadRequest("request body must be a JSON object");
        }
        return n;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
