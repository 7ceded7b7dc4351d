package org.steno.server.http;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.steno.access.Action;
import org.steno.conference.api.MeetingApi;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The owner's settings of a meeting, each {@code MANAGE_MEETING}: {@code GET|POST
 * /api/meetings/<id>/settings} (title, access level, captions language, record on start) and {@code POST …/members} (co-hosts and
 * invited people, by username).
 */
final class MeetingSettingsRoutes implements HttpRoutes {

    private static final int MAX_TITLE = 200;
    private static final int MAX_MEMBERS = 500;
    /** A username as accounts allow it (identity's rule), or an e-mail an OIDC account will have. */
    private static final java.util.regex.Pattern USERNAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");

    private final MeetingDirectory directory;
    private final Supplier<MeetingApi> api;

    MeetingSettingsRoutes(MeetingDirectory directory, Supplier<MeetingApi> api) {
        this.directory = directory;
        this.api = api;
    }

    @Override
    public void register(GuardedRoutes routes) {
        routes.get("/api/meetings/{id}/settings", Action.MANAGE_MEETING, Route.On.MEETING, this::show);
        routes.post("/api/meetings/{id}/settings", Action.MANAGE_MEETING, Route.On.MEETING, this::change);
        routes.post("/api/meetings/{id}/members", Action.MANAGE_MEETING, Route.On.MEETING, this::member);
    }

    /** The access level in a create or settings body; {@code fallback} when absent, null when invalid. */
    static String accessLevelIn(String body, String fallback) {
        if (body == null || body.isBlank()) {
            return fallback;
        }
        try {
            JsonNode n = JsonBody.JSON.readTree(body);
            if (n == null || !n.isObject() || !n.has("accessLevel")) {
                return fallback; // the meetings API answers a malformed body itself
            }
            String level = n.get("accessLevel").isString() ? n.get("accessLevel").asString() : "";
            return MeetingDirectory.ACCESS_LEVELS.contains(level) ? level : null;
        } catch (JacksonException e) {
            return fallback;
        }
    }

    private void show(Context ctx) {
        Optional<MeetingDirectory.Entry> m = found(ctx);
        if (m.isPresent()) {
            ctx.json(view(ctx.pathParam("id"), m.get()));
        }
    }

    /**
     * {@code {"title": "…", "accessLevel": "restricted", "captionsLanguage": "fr", "recordOnStart": true}};
     * any may be left out.
     */
    private void change(Context ctx) {
        Optional<MeetingDirectory.Entry> m = found(ctx);
        JsonNode body = m.isPresent() ? JsonBody.object(ctx) : null;
        if (body == null) {
            return;
        }
        String title = m.get().title();
        if (body.has("title")) {
            if (!body.get("title").isString() || body.get("title").asString().strip().length() > MAX_TITLE) {
                JsonBody.bad(ctx, "title is a string of at most " + MAX_TITLE + " characters");
                return;
            }
            title = body.get("title").asString().strip();
            if (title.chars().anyMatch(Character::isISOControl)) {
                JsonBody.bad(ctx, "title must not contain control characters");
                return;
            }
        }
        String level = body.has("accessLevel") ? accessLevelIn(ctx.body(), null) : m.get().accessLevel();
        if (level == null) {
            JsonBody.bad(ctx, "accessLevel must be one of public, trusted, restricted");
            return;
        }
        String id = ctx.pathParam("id");
        org.steno.identity.MeetingDefaults was = directory.defaults(id);
        String language = was.captionsLanguage();
        if (body.has("captionsLanguage")) {
            JsonNode l = body.get("captionsLanguage");
            if (!l.isString() || !org.steno.identity.MeetingDefaults.CAPTIONS_LANGUAGES.contains(l.asString())) {
                JsonBody.bad(ctx, "captionsLanguage must be one of en, fr");
                return;
            }
            language = l.asString();
        }
        boolean recordOnStart = was.recordOnStart();
        if (body.has("recordOnStart")) {
            if (!body.get("recordOnStart").isBoolean()) {
                JsonBody.bad(ctx, "recordOnStart must be true or false");
                return;
            }
            recordOnStart = body.get("recordOnStart").booleanValue();
        }
        directory.update(id, title, level);
        directory.setDefaults(id, new org.steno.identity.MeetingDefaults(language, recordOnStart));
        String liveTitle = title;
        api.get().liveMeeting(id).ifPresent(live -> live.setTitle(liveTitle));
        ctx.json(view(id, directory.find(id).orElseThrow()));
    }

    /** {@code {"username": "bob", "role": "host"|"invited"|"none"}}; none removes them. */
    private void member(Context ctx) {
        Optional<MeetingDirectory.Entry> m = found(ctx);
        JsonNode body = m.isPresent() ? JsonBody.object(ctx) : null;
        if (body == null) {
            return;
        }
        String username = body.path("username").asString("").strip().toLowerCase(Locale.ROOT);
        String role = body.path("role").asString("");
        if (!USERNAME.matcher(username).matches()) {
            JsonBody.bad(ctx, "username is an account's username or an e-mail address (lower case, at most 64 characters)");
            return;
        }
        if (!List.of("host", "invited", "none").contains(role)) {
            JsonBody.bad(ctx, "role is host, invited or none");
            return;
        }
        String id = ctx.pathParam("id");
        if (directory.username(m.get().ownerId()).map(username::equals).orElse(false)) {
            JsonBody.bad(ctx, "the owner is always a host of their meeting");
            return;
        }
        if (role.equals("none")) {
            directory.removeMember(id, username);
        } else if (m.get().members().size() >= MAX_MEMBERS && !m.get().members().containsKey(username)) {
            ctx.status(409).json(Map.of("error", "a meeting names at most " + MAX_MEMBERS + " co-hosts and invited people"));
            return;
        } else {
            directory.putMember(id, username, role);
        }
        ctx.json(view(id, directory.find(id).orElseThrow()));
    }

    private Optional<MeetingDirectory.Entry> found(Context ctx) {
        Optional<MeetingDirectory.Entry> m = directory.find(ctx.pathParam("id"));
        if (m.isEmpty()) {
            ctx.status(404).json(Map.of("error", "no meeting " + LogSafe.of(ctx.pathParam("id"))));
        }
        return m;
    }

    private Map<String, Object> view(String id, MeetingDirectory.Entry m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("meetingId", id);
        out.put("title", m.title());
        out.put("accessLevel", m.accessLevel());
        org.steno.identity.MeetingDefaults d = directory.defaults(id);
        out.put("captionsLanguage", d.captionsLanguage());
        out.put("recordOnStart", d.recordOnStart());
        List<Map<String, Object>> members = new ArrayList<>();
        m.members().forEach((u, r) -> members.add(Map.of("username", u, "role", r)));
        out.put("members", members);
        return out;
    }
}
