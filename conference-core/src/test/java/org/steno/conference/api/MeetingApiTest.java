package org.steno.conference.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.steno.conference.meeting.MeetingLimits;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.meeting.ParticipantRole;

class MeetingApiTest {

    private final MeetingRegistry registry = new MeetingRegistry(new MeetingLimits(2, 3, 2, java.time.Duration.ofMinutes(5)));
    private final JoinTokens tokens = new JoinTokens("0123456789abcdef0123456789abcdef".getBytes());
    private final MeetingApi api = new MeetingApi(registry, tokens, () -> "https://meet.example.org");

    @Test
    void createGetJoin() throws Exception {
        ApiResult c = api.create("{\"title\":\"Budget\"}");
        assertThat(c.status()).isEqualTo(201);
        String id = (String) c.body().get("id");
        assertThat(id).matches("[a-z]{3}-[a-z]{4}-[a-z]{3}");
        assertThat(c.body().get("joinUrl")).isEqualTo("https://meet.example.org/m/" + id);

        ApiResult g = api.get(id);
        assertThat(g.status()).isEqualTo(200);
        assertThat(g.body()).containsEntry("title", "Budget").containsEntry("participantCount", 0);

        ApiResult j1 = api.join(id, "{\"displayName\":\"  Alice  \"}", new MeetingApi.Joiner("local:alice", true));
        assertThat(j1.status()).isEqualTo(200);
        assertThat(j1.body()).containsEntry("displayName", "Alice").containsEntry("role", "host");
        JoinGrant grant = tokens.verify((String) j1.body().get("token"), id);
        assertThat(grant.displayName()).isEqualTo("Alice");
        assertThat(grant.role()).isEqualTo(ParticipantRole.HOST);
        ApiResult j2 = api.join(id, "{\"displayName\":\"Bob\"}", MeetingApi.Joiner.GUEST);
        assertThat(j2.body()).containsEntry("role", "participant");
        ApiResult j3 = api.join(id, "{\"displayName\":\"The Minister\"}", new MeetingApi.Joiner("local:carl", false, "Carl Dupont"));
        assertThat(j3.body()).as("a signed-in person shows the account's name").containsEntry("displayName", "Carl Dupont");
        assertThat((String) j1.body().get("identity")).startsWith("local:alice:");
        assertThat((String) j2.body().get("identity")).startsWith("guest:");
        assertThat(j2.body().get("identity")).isNotEqualTo(j1.body().get("identity"));
    }

    @Test
    void aMeetingTheCatalogKnowsOpensAgainUnderItsLinkAfterItEnded() {
        String id = (String) api.create("{\"title\":\"Weekly\"}").body().get("id");
        registry.end(id, org.steno.conference.meeting.EndReason.SERVER_SHUTDOWN);
        assertThat(api.get(id).status()).as("without a catalog an ended meeting is gone").isEqualTo(404);

        MeetingApi kept = new MeetingApi(registry, tokens, () -> "https://meet.example.org",
                m -> m.equals(id) ? java.util.Optional.of("Weekly") : java.util.Optional.empty());
        ApiResult again = kept.get(id);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).containsEntry("id", id).containsEntry("title", "Weekly").containsEntry("live", false);
        assertThat(registry.get(id)).as("a look does not open it").isEmpty();
        assertThat(kept.join(id, "{\"displayName\":\"A\"}", MeetingApi.Joiner.GUEST).status()).isEqualTo(200);
        assertThat(registry.get(id)).as("someone who may enter opens it").isPresent();
        assertThat(kept.get(id).body()).containsEntry("live", true).containsEntry("participantCount", 0);
        assertThat(kept.get("zzz-zzzz-zzz").status()).as("unknown to the catalog").isEqualTo(404);
    }

    @Test
    void someoneWhoMustWaitDoesNotOpenAnEndedMeetingByAsking() {
        String id = (String) api.create("{\"title\":\"Weekly\"}").body().get("id");
        registry.end(id, org.steno.conference.meeting.EndReason.ENDED_BY_HOST);
        MeetingApi kept = new MeetingApi(registry, tokens, () -> "https://meet.example.org",
                m -> m.equals(id) ? java.util.Optional.of("Weekly") : java.util.Optional.empty());
        MeetingApi.Joiner guest = new MeetingApi.Joiner(null, false, null, true, "browser-1", null);
        for (int i = 0; i < 3; i++) { // the waiting page asks every 2 s
            ApiResult waiting = kept.join(id, "{\"displayName\":\"Gaston\"}", guest);
            assertThat(waiting.status()).isEqualTo(202);
            assertThat(waiting.body()).containsEntry("status", "waiting").containsEntry("live", false)
                    .containsEntry("title", "Weekly").containsEntry("recording", false);
        }
        assertThat(registry.get(id)).as("still ended").isEmpty();
        // A host comes: the meeting opens, and the guest's request is there for them to decide.
        assertThat(kept.join(id, "{\"displayName\":\"Host\"}", new MeetingApi.Joiner("local:host", true)).status()).isEqualTo(200);
        assertThat(registry.get(id)).isPresent();
        assertThat(kept.lobby().waiting(id)).extracting(org.steno.conference.lobby.Lobby.Request::displayName).containsExactly("Gaston");
        assertThat(kept.join(id, "{\"displayName\":\"Gaston\"}", guest).body()).containsEntry("live", true);
    }

    @Test
    void badInputGetsClear4xx() {
        String id = (String) api.create("").body().get("id");
        Map<String, Integer> cases = Map.of(
                "", 400, "not json", 400, "[1,2]", 400, "{}", 400, "{\"displayName\":42}", 400,
                "{\"displayName\":\"   \"}", 400, "{\"displayName\":\"" + "x".repeat(101) + "\"}", 400,
                "{\"displayName\":\"a\\u0000b\"}", 400);
        cases.forEach((body, status) -> {
            ApiResult r = api.join(id, body, MeetingApi.Joiner.GUEST);
            assertThat(r.status()).as(body).isEqualTo(status);
            assertThat((String) r.body().get("error")).as(body).isNotBlank();
        });
        assertThat(api.join("abc-defg-hij", "{\"displayName\":\"A\"}", MeetingApi.Joiner.GUEST).status()).isEqualTo(404);
        assertThat(api.join("../../etc", "{\"displayName\":\"A\"}", MeetingApi.Joiner.GUEST).status()).isEqualTo(404);
        assertThat(api.get("nope").status()).isEqualTo(404);
        assertThat(api.create("{\"title\":7}").status()).isEqualTo(400);
        assertThat(api.create("{\"title\":\"" + "t".repeat(201) + "\"}").status()).isEqualTo(400);
        assertThat(api.create("{").status()).isEqualTo(400);
        assertThat(api.create("x".repeat(MeetingApi.MAX_BODY + 1)).status()).isEqualTo(400);
        api.create("");
        ApiResult full = api.create("");
        assertThat(full.status()).isEqualTo(503);
        assertThat(List.of(full.body().get("error"))).isNotEmpty();
    }
}
