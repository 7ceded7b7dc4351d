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
import org.steno.conference.lobby.Lobby;
import org.steno.conference.meeting.TrackKind;
import org.steno.conference.signaling.HostControls;
import tools.jackson.databind.JsonNode;

/**
 * Host controls over HTTP, each {@code HOST_MEETING} (the owner or a co-host): the lobby
 * ({@code GET|POST /api/meetings/<id>/lobby}), the lock ({@code POST …/lock}) and what a host
 * does to a participant ({@code POST …/participants/<pid>/<control>}). Every request is judged
 * and audited by the guard before it reaches a handler here.
 */
final class LobbyRoutes implements HttpRoutes {

    private static final int MAX_IDS = 200;

    private final Supplier<MeetingApi> api;
    private final Supplier<HostControls> controls;
    private final MeetingDirectory directory;

    LobbyRoutes(Supplier<MeetingApi> api, Supplier<HostControls> controls, MeetingDirectory directory) {
        this.api = api;
        this.controls = controls;
        this.directory = directory;
    }

    @Override
    public void register(GuardedRoutes routes) {
        routes.get("/api/meetings/{id}/lobby", Action.HOST_MEETING, Route.On.MEETING, this::list);
        routes.post("/api/meetings/{id}/lobby", Action.HOST_MEETING, Route.On.MEETING, this::decide);
        routes.post("/api/meetings/{id}/lock", Action.HOST_MEETING, Route.On.MEETING, this::lock);
        routes.post("/api/meetings/{id}/participants/{pid}/{control}", Action.HOST_MEETING, Route.On.MEETING, this::control);
    }

    private void list(Context ctx) {
        Lobby lobby = api.get().lobby();
        String id = ctx.pathParam("id");
        List<Map<String, Object>> waiting = new ArrayList<>();
        for (Lobby.Request r : lobby.waiting(id)) {
            waiting.add(r.view());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("meetingId", id);
        out.put("locked", lobby.locked(id));
        out.put("count", waiting.size());
        out.put("waiting", waiting);
        ctx.json(out);
    }

    /** {@code {"admit": ["r…", …]}}, {@code {"deny": [...]}}, or {@code "all"} instead of a list. */
    private void decide(Context ctx) {
        JsonNode body = JsonBody.object(ctx);
        if (body == null) {
            return;
        }
        boolean admit = body.has("admit");
        JsonNode which = admit ? body.get("admit") : body.get("deny");
        if (which == null || admit == body.has("deny")) {
            JsonBody.bad(ctx, "send {\"admit\": [request ids] or \"all\"} or {\"deny\": …}");
            return;
        }
        Lobby lobby = api.get().lobby();
        String id = ctx.pathParam("id");
        int decided = 0;
        if (which.isString() && which.asString().equals("all")) {
            decided = lobby.decideAll(id, admit);
        } else if (which.isArray() && which.size() <= MAX_IDS) {
            for (JsonNode r : which) {
                if (!r.isString()) {
                    JsonBody.bad(ctx, "request ids are strings");
                    return;
                }
                decided += lobby.decide(id, r.asString(), admit) ? 1 : 0;
            }
        } else {
            JsonBody.bad(ctx, "\"" + (admit ? "admit" : "deny") + "\" is \"all\" or an array of at most " + MAX_IDS + " request ids");
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(admit ? "admitted" : "denied", decided);
        out.put("waiting", lobby.waiting(id).size());
        ctx.json(out);
    }

    /** {@code {"locked": true|false}}: when locked, everyone new waits in the lobby. */
    private void lock(Context ctx) {
        JsonNode body = JsonBody.object(ctx);
        if (body == null) {
            return;
        }
        if (!body.path("locked").isBoolean()) {
            JsonBody.bad(ctx, "send {\"locked\": true} or {\"locked\": false}");
            return;
        }
        boolean locked = body.get("locked").asBoolean();
        if (controls.get().lock(ctx.pathParam("id"), locked) == HostControls.Result.NOT_FOUND) {
            ctx.status(404).json(Map.of("error", "meeting " + LogSafe.of(ctx.pathParam("id")) + " is not live"));
            return;
        }
        ctx.json(Map.of("locked", locked));
    }

    /**
     * {@code mute-audio}, {@code stop-video} (the host turns them off; never back on),
     * {@code ask-unmute}, {@code ask-video} (the person decides), {@code lower-hand}, {@code remove} (they wait in
     * the lobby if they come back), {@code make-host}, {@code make-participant} (co-hosts are
     * signed-in people; the owner names them, and they stay co-hosts of the meeting).
     */
    private void control(Context ctx) {
        String id = ctx.pathParam("id");
        String pid = ctx.pathParam("pid");
        HostControls c = controls.get();
        String control = ctx.pathParam("control").toLowerCase(Locale.ROOT);
        HostControls.Result r = switch (control) {
            case "mute-audio" -> c.mute(id, pid, TrackKind.AUDIO);
            case "stop-video" -> c.mute(id, pid, TrackKind.VIDEO);
            case "ask-unmute" -> c.askToUnmute(id, pid, TrackKind.AUDIO);
            case "ask-video" -> c.askToUnmute(id, pid, TrackKind.VIDEO);
            case "remove" -> removeUnlessOwner(ctx, c, id, pid);
            case "lower-hand" -> c.lowerHand(id, pid);
            case "make-host", "make-participant" -> coHost(ctx, c, id, pid, control.equals("make-host"));
            default -> null;
        };
        if (ctx.res().isCommitted() || ctx.statusCode() >= 400) {
            return; // answered by the control (e.g. a guest cannot be a co-host)
        }
        if (r == null) {
            ctx.status(404).json(Map.of("error", "unknown control '" + LogSafe.of(control)
                    + "'; known: mute-audio, stop-video, ask-unmute, ask-video, lower-hand, remove, make-host, make-participant"));
        } else if (r == HostControls.Result.NOT_FOUND) {
            ctx.status(404).json(Map.of("error", "no participant " + LogSafe.of(pid) + " in this meeting now"));
        } else if (r == HostControls.Result.NOT_A_BROWSER) {
            ctx.status(409).json(Map.of("error", "participant " + LogSafe.of(pid) + " is not on a browser; there is nobody to ask"));
        } else {
            ctx.json(Map.of("participantId", pid, "control", control, "changed", r == HostControls.Result.DONE));
        }
    }

    private HostControls.Result removeUnlessOwner(Context ctx, HostControls c, String id, String pid) {
        Optional<String> account = c.identity(id, pid).flatMap(LobbyRoutes::accountOf);
        if (account.isPresent() && directory.find(id).map(e -> e.ownerId().equals(account.get())).orElse(false)) {
            ctx.status(409).json(Map.of("error", "the meeting's owner cannot be removed from it"));
            return HostControls.Result.UNCHANGED;
        }
        return c.remove(id, pid);
    }

    private HostControls.Result coHost(Context ctx, HostControls c, String id, String pid, boolean host) {
        Optional<String> identity = c.identity(id, pid);
        if (identity.isEmpty()) {
            return HostControls.Result.NOT_FOUND;
        }
        Optional<String> account = accountOf(identity.get());
        Optional<String> username = account.flatMap(directory::username);
        if (username.isEmpty()) {
            ctx.status(409).json(Map.of("error", "only someone signed in can be a co-host; a guest cannot"));
            return HostControls.Result.UNCHANGED;
        }
        Optional<MeetingDirectory.Entry> meeting = directory.find(id);
        if (meeting.isPresent() && meeting.get().ownerId().equals(account.get())) {
            ctx.status(409).json(Map.of("error", "the owner is always a host"));
            return HostControls.Result.UNCHANGED;
        }
        if (meeting.isPresent()) {
            // Kept: a co-host is one at the next session too. Demoted, they stay invited (they were in it).
            directory.putMember(id, username.get(), host ? "host" : "invited");
        }
        return c.setHost(id, pid, host);
    }

    /** A join identity is {@code <account id>:<16 hex>} or {@code guest:<16 hex>}. */
    static Optional<String> accountOf(String identity) {
        int cut = identity.lastIndexOf(':');
        if (cut <= 0 || identity.startsWith("guest:")) {
            return Optional.empty();
        }
        return Optional.of(identity.substring(0, cut));
    }
}
