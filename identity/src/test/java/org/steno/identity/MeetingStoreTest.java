package org.steno.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;

class MeetingStoreTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private MeetingStore store;

    @BeforeEach
    void open(TestDatabase t) {
        store = new MeetingStore(t.db());
    }

    @OnBothDatabases
    void savedMeetingsAreFoundById() {
        StoredMeeting m = new StoredMeeting("m-1", "local:alice", "Board meeting: Q1 \"numbers\", ünïcødé ✓", T0);
        store.save(m);
        assertThat(store.find("m-1")).contains(m);
        assertThat(store.find("m-2")).isEmpty();
        assertThat(store.find(null)).isEmpty();
    }

    @OnBothDatabases
    void byOwnerIsNewestFirstAndOnlyTheirs() {
        store.save(new StoredMeeting("m-a", "local:alice", "first", T0));
        store.save(new StoredMeeting("m-b", "local:bob", "bob's", T0.plusSeconds(30)));
        store.save(new StoredMeeting("m-c", "local:alice", "third", T0.plusSeconds(120)));
        store.save(new StoredMeeting("m-d", "local:alice", "second", T0.plusSeconds(60)));
        assertThat(store.byOwner("local:alice")).extracting(StoredMeeting::title)
                .containsExactly("third", "second", "first");
        assertThat(store.byOwner("local:bob")).extracting(StoredMeeting::id).containsExactly("m-b");
        assertThat(store.byOwner("local:nobody")).isEmpty();
    }

    @OnBothDatabases
    void createdAtIsKeptToTheMillisecond() {
        store.save(new StoredMeeting("m-1", "local:alice", "t", Instant.parse("2025-03-01T10:00:00.123456789Z")));
        assertThat(store.find("m-1").orElseThrow().createdAt()).isEqualTo(Instant.parse("2025-03-01T10:00:00.123Z"));
    }

    @OnBothDatabases
    void aDuplicateIdIsADatabaseException() {
        store.save(new StoredMeeting("m-1", "local:alice", "one", T0));
        assertThatThrownBy(() -> store.save(new StoredMeeting("m-1", "local:bob", "two", T0)))
                .isInstanceOf(DatabaseException.class)
                .hasMessage("cannot save meeting m-1: a meeting with that id already exists");
        assertThat(store.find("m-1").orElseThrow().title()).isEqualTo("one");
    }

    @OnBothDatabases
    void newMeetingsAreTrustedAndTheOwnerChangesTitleAndAccessLevel() {
        store.save(new StoredMeeting("m-1", "local:alice", "Weekly", T0));
        assertThat(store.find("m-1").orElseThrow().accessLevel()).isEqualTo("trusted");
        assertThat(store.update(store.find("m-1").orElseThrow().withTitle("Council").withAccessLevel("restricted"))).isTrue();
        StoredMeeting m = store.find("m-1").orElseThrow();
        assertThat(m.title()).isEqualTo("Council");
        assertThat(m.accessLevel()).isEqualTo("restricted");
        assertThat(store.update(new StoredMeeting("m-404", "local:alice", "x", T0))).isFalse();
        assertThatThrownBy(() -> m.withAccessLevel("open")).isInstanceOf(IllegalArgumentException.class);
    }

    @OnBothDatabases
    void aNewMeetingHasTheStandardDefaultsAndItsOwnerChangesThem() {
        store.save(new StoredMeeting("m-1", "local:alice", "Weekly", T0));
        assertThat(store.defaults("m-1")).contains(MeetingDefaults.STANDARD);
        assertThat(store.setDefaults("m-1", new MeetingDefaults("fr", true))).isTrue();
        assertThat(store.defaults("m-1")).contains(new MeetingDefaults("fr", true));
        assertThat(store.find("m-1").orElseThrow().accessLevel()).as("the other settings stay").isEqualTo("trusted");
        assertThat(store.defaults("m-404")).isEmpty();
        assertThat(store.setDefaults("m-404", MeetingDefaults.STANDARD)).isFalse();
        assertThatThrownBy(() -> new MeetingDefaults("de", false)).isInstanceOf(IllegalArgumentException.class);
    }

    @OnBothDatabases
    void membersAreKeptByLowerCaseUsernameAndReplaced() {
        store.save(new StoredMeeting("m-1", "local:alice", "Weekly", T0));
        store.save(new StoredMeeting("m-2", "local:alice", "Other", T0));
        store.putMember("m-1", " Bob ", "invited");
        store.putMember("m-1", "carol@example.fr", "host");
        store.putMember("m-1", "bob", "host");
        store.putMember("m-2", "dave", "invited");
        assertThat(store.members("m-1")).containsExactly(java.util.Map.entry("bob", "host"), java.util.Map.entry("carol@example.fr", "host"));
        assertThat(store.removeMember("m-1", "BOB")).isTrue();
        assertThat(store.removeMember("m-1", "bob")).isFalse();
        assertThat(store.members("m-1")).containsOnlyKeys("carol@example.fr");
        assertThat(store.members("m-2")).containsOnlyKeys("dave");
        assertThat(store.byMember("CAROL@example.fr", "host")).extracting(StoredMeeting::id).containsExactly("m-1");
        assertThat(store.byMember("dave", "host")).isEmpty();
        assertThat(store.byMember("dave", "invited")).extracting(StoredMeeting::id).containsExactly("m-2");
        assertThatThrownBy(() -> store.putMember("m-1", "eve", "owner")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.putMember("m-404", "eve", "host")).isInstanceOf(DatabaseException.class);
    }
}
