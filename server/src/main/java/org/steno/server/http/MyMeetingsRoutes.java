package org.steno.server.http;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.steno.access.Action;
import org.steno.conference.api.MeetingApi;

/**
 * {@code GET /api/me/meetings} ({@code LIST_MY_MEETINGS}): the meetings a signed-in person
 * owns, co-hosts or is invited to, newest first, with whether each is live now and where its
 * room and archive are.
 */
final class MyMeetingsRoutes implements HttpRoutes {

    static final int MAX_LISTED = 200;

    private final MeetingDirectory directory;
    private final Supplier<MeetingApi> api;

    MyMeetingsRoutes(MeetingDirectory directory, Supplier<MeetingApi> api) {
        this.directory = directory;
        this.api = api;
    }

    @Override
    public void register(GuardedRoutes routes) {
        routes.get("/api/me/meetings", Action.LIST_MY_MEETINGS, Route.On.WEB, this::list);
    }

    private void list(Context ctx) {
        Authenticator.SignedIn who = HttpGuard.signedIn(ctx).orElseThrow(); // the policy let only accounts through
        List<Map<String, Object>> out = new ArrayList<>();
        for (MeetingDirectory.Listed m : directory.meetingsOf(who.accountId(), who.username())) {
            if (out.size() == MAX_LISTED) {
                break;
            }
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", m.meetingId());
            o.put("title", m.title());
            o.put("createdAt", m.createdAt().toString());
            o.put("accessLevel", m.accessLevel());
            o.put("relation", m.relation());
            o.put("live", api.get() != null && api.get().liveMeeting(m.meetingId()).isPresent());
            o.put("room", "/m/" + m.meetingId());
            o.put("archive", "/m/" + m.meetingId() + "/archive");
            out.add(o);
        }
        ctx.json(Map.of("meetings", out));
    }
}
