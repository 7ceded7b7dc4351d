package org.steno.conference.media.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.steno.conference.media.MediaKind;
import org.steno.conference.media.TrackInfo;

/**
 * Fixed receive slots without sockets: top-N audio, last-N video by speaker order with pins and screen shares
 * first, stable placement on the slots with a keyframe asked on a video switch, and the receive-slot target that
 * is sent once and not again while the page's re-offer is in flight.
 */
class SlotSelectionTest {

    private static final long NOW = 10_000_000_000L;

    private static Receiver source(String participant, MediaKind kind) {
        TrackInfo info = new TrackInfo("e-" + participant + "/" + kind.sdpName(), participant, "g", kind,
                kind == MediaKind.AUDIO ? "opus" : "VP8", kind == MediaKind.AUDIO ? 48000 : 90000, "0");
        return new Receiver(info, null, kind == MediaKind.AUDIO ? 111 : 96, 1);
    }

    /** A source speaking at {@code dBov} (RFC 6464: 0 loudest, 127 silence) for the last 2 s. */
    private static Receiver speaking(String participant, int dBov) {
        Receiver r = source(participant, MediaKind.AUDIO);
        for (int i = 0; i < 100; i++) {
            r.level.add(dBov, NOW - (100 - i) * 20_000_000L);
        }
        return r;
    }

    private static List<Receiver> video(String... participants) {
        List<Receiver> l = new ArrayList<>();
        for (String p : participants) {
            l.add(source(p, MediaKind.VIDEO));
        }
        return l;
    }

    private static List<String> who(List<Receiver> rs) {
        return rs.stream().map(r -> r.info.participantId()).toList();
    }

    private static DownTrack slot(String mid, MediaKind kind, Receiver bound) {
        DownTrack d = new DownTrack(null, mid, kind, kind == MediaKind.AUDIO ? "opus" : "VP8",
                kind == MediaKind.AUDIO ? 48000 : 90000, kind == MediaKind.AUDIO ? 111 : 96);
        if (bound != null) {
            d.bind(bound);
        }
        return d;
    }

    @Test
    void topNAudioIsTheLoudestOthersAndASlotHolderKeepsItInsideTheMargin() {
        Receiver silent = speaking("p1", 127);
        Receiver loudest = speaking("p2", 10);
        Receiver third = speaking("p3", 26);
        Receiver second = speaking("p4", 20);
        Receiver fourth = speaking("p5", 30);
        Receiver own = speaking("me", 0);
        List<Receiver> audio = List.of(silent, loudest, third, second, fourth, own);

        assertThat(who(TopNSelector.select(audio, "me", Set.of(), 3, NOW))).containsExactly("p2", "p4", "p3");
        assertThat(who(TopNSelector.select(audio, "p2", Set.of(), 3, NOW))).as("never one's own audio")
                .containsExactly("me", "p4", "p3");
        assertThat(TopNSelector.select(audio, "me", Set.of(), 0, NOW)).isEmpty();
        assertThat(who(TopNSelector.select(audio, "me", Set.of(), 10, NOW))).hasSize(5);

        // p5 holds a slot: 4 dB quieter than p3, inside the 6 dB margin, so no switch.
        assertThat(who(TopNSelector.select(audio, "me", Set.of(fourth), 3, NOW))).containsExactly("p2", "p4", "p5");
        // A challenger clearly louder (p3 at 20 dBov against p5's 30) takes the slot.
        Receiver louderThird = speaking("p3", 20);
        List<Receiver> audio2 = List.of(silent, loudest, louderThird, second, fourth, own);
        assertThat(who(TopNSelector.select(audio2, "me", Set.of(fourth), 3, NOW))).contains("p3").doesNotContain("p5");
    }

    @Test
    void silentSourcesKeepTheirSlotsThenJoinOrderInsteadOfTradingPlacesOnNoise() {
        List<Receiver> audio = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            audio.add(speaking("p" + i, 90 + i)); // background noise, below the speaking threshold
        }
        assertThat(who(TopNSelector.select(audio, "me", Set.of(), 3, NOW))).containsExactly("p1", "p2", "p3");
        assertThat(who(TopNSelector.select(audio, "me", Set.of(audio.get(6), audio.get(4)), 3, NOW)))
                .containsExactly("p5", "p7", "p1");
        Receiver speaker = speaking("p9", 15);
        audio.add(speaker);
        assertThat(who(TopNSelector.select(audio, "me", Set.of(audio.get(6), audio.get(4)), 3, NOW)))
                .as("anyone speaking beats a silent slot holder").startsWith("p9");
    }

    @Test
    void lastNVideoFollowsTheSpeakerOrderThenJoinOrder() {
        List<Receiver> v = video("p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11", "p12");
        List<Receiver> ranked = LastNSelector.rank(v, List.of("p7", "p3", "gone"));
        assertThat(who(LastNSelector.select(ranked, "me", List.of(), 4))).containsExactly("p7", "p3", "p1", "p2");
        assertThat(who(LastNSelector.select(ranked, "p7", List.of(), 4))).as("never one's own video")
                .containsExactly("p3", "p1", "p2", "p4");
        assertThat(LastNSelector.select(ranked, "me", List.of(), 0)).isEmpty();
        assertThat(LastNSelector.select(ranked, "me", List.of(), 9)).hasSize(9);

        // Nobody has spoken: the first joiners, the same list every time.
        List<Receiver> quiet = LastNSelector.rank(v, List.of());
        assertThat(who(LastNSelector.select(quiet, "me", List.of(), 3))).containsExactly("p1", "p2", "p3");
        // A new dominant speaker goes first; the one who spoke longest ago drops off the end.
        List<Receiver> later = LastNSelector.rank(v, List.of("p12", "p7", "p3"));
        assertThat(who(LastNSelector.select(later, "me", List.of(), 3))).containsExactly("p12", "p7", "p3");
    }

    @Test
    void screenSharesThenPinsComeFirst() {
        List<Receiver> v = video("p1", "p2", "p3", "p4", "p5", "p6");
        v.get(5).screenShare = true; // p6 shares a screen
        List<Receiver> ranked = LastNSelector.rank(v, List.of("p2"));
        assertThat(who(ranked)).startsWith("p6", "p2");
        assertThat(who(LastNSelector.select(ranked, "me", List.of("p4", "me", "nobody", "p1"), 4)))
                .containsExactly("p6", "p4", "p1", "p2");
        assertThat(who(LastNSelector.select(ranked, "me", List.of("p4", "p1", "p3"), 2)))
                .as("fewer slots than pins: the first pins").containsExactly("p6", "p4");
        assertThat(who(LastNSelector.select(ranked, "p6", List.of(), 2))).as("the sharer does not get its own screen")
                .containsExactly("p2", "p1");
    }

    @Test
    void sourcesStayOnTheirSlotsAndAVideoSwitchAsksAKeyframe() {
        List<Receiver> v = video("a", "b", "c", "d");
        Receiver a = v.get(0);
        Receiver b = v.get(1);
        Receiver c = v.get(2);
        Receiver d = v.get(3);
        List<DownTrack> slots = List.of(slot("5", MediaKind.VIDEO, a), slot("6", MediaKind.VIDEO, b),
                slot("7", MediaKind.VIDEO, c));

        assertThat(SlotAllocator.allocate(slots, List.of(c, a, b))).as("same set, another order: no switch").isEmpty();

        List<SlotAllocator.Switch> sw = SlotAllocator.allocate(slots, List.of(d, a, c));
        assertThat(sw).singleElement().satisfies(s -> {
            assertThat(s.slot().mid).isEqualTo("6");
            assertThat(s.from()).isSameAs(b);
            assertThat(s.to()).isSameAs(d);
            assertThat(s.needsKeyframe()).as("the new source starts with a keyframe").isTrue();
        });

        List<SlotAllocator.Switch> fewer = SlotAllocator.allocate(slots, List.of(a));
        assertThat(fewer).hasSize(2).allSatisfy(s -> {
            assertThat(s.to()).isNull();
            assertThat(s.needsKeyframe()).isFalse();
        });

        Receiver x = source("x", MediaKind.AUDIO);
        Receiver y = source("y", MediaKind.AUDIO);
        List<DownTrack> audioSlots = List.of(slot("2", MediaKind.AUDIO, x), slot("3", MediaKind.AUDIO, null));
        assertThat(SlotAllocator.allocate(audioSlots, List.of(y, x))).singleElement().satisfies(s -> {
            assertThat(s.slot().mid).isEqualTo("3");
            assertThat(s.needsKeyframe()).as("audio needs none").isFalse();
        });

        // A slot takes only a source of its codec.
        TrackInfo h264 = new TrackInfo("e/h", "h", "g", MediaKind.VIDEO, "H264", 90000, "1");
        Receiver h = new Receiver(h264, null, 102, 1);
        assertThat(SlotAllocator.allocate(List.of(slot("9", MediaKind.VIDEO, null)), List.of(h))).isEmpty();
    }

    @Test
    void theTargetIsAbsoluteAndNotSentAgainWhileTheReofferIsInFlight() {
        SlotTarget t = new SlotTarget();
        SlotTarget.Counts none = SlotTarget.Counts.NONE;
        assertThat(t.next(new SlotTarget.Counts(3, 9), none, 0)).as("nothing before the page's first offer").isNull();

        t.offered(new SlotTarget.Counts(1, 1));
        assertThat(t.next(new SlotTarget.Counts(1, 1), new SlotTarget.Counts(1, 1), 0)).isNull();
        assertThat(t.next(new SlotTarget.Counts(3, 5), new SlotTarget.Counts(1, 1), 0)).isEqualTo(new SlotTarget.Counts(3, 5));
        // Asked again (a rebalance, an audio tick) before the re-offer: nothing, even if the target grew.
        assertThat(t.next(new SlotTarget.Counts(3, 5), new SlotTarget.Counts(1, 1), 0)).isNull();
        assertThat(t.next(new SlotTarget.Counts(3, 9), new SlotTarget.Counts(1, 1), 0)).isNull();
        assertThat(t.waiting()).isTrue();

        // An offer that was already on its way (made before the page read the request) does not end the wait.
        t.offered(new SlotTarget.Counts(1, 1));
        assertThat(t.next(new SlotTarget.Counts(3, 9), new SlotTarget.Counts(1, 1), 0)).isNull();
        // The re-offer meets (3, 5): the target that grew meanwhile is asked now, once.
        t.offered(new SlotTarget.Counts(3, 5));
        assertThat(t.next(new SlotTarget.Counts(3, 9), new SlotTarget.Counts(3, 5), 0)).isEqualTo(new SlotTarget.Counts(3, 9));
        assertThat(t.next(new SlotTarget.Counts(3, 9), new SlotTarget.Counts(3, 5), 0)).isNull();
        t.offered(new SlotTarget.Counts(3, 9));
        for (int i = 0; i < 5; i++) {
            assertThat(t.next(new SlotTarget.Counts(3, 9), new SlotTarget.Counts(3, 9), 0)).as("stable").isNull();
        }
        assertThat(t.next(new SlotTarget.Counts(2, 4), new SlotTarget.Counts(3, 9), 0)).as("fewer wanted: keep the slots")
                .isNull();
        assertThat(t.waiting()).isFalse();
    }

    @Test
    void aRequestNoOfferMeetsIsSentAgainAfterAWhileNotBefore() {
        SlotTarget t = new SlotTarget();
        SlotTarget.Counts one = new SlotTarget.Counts(1, 1);
        SlotTarget.Counts two = new SlotTarget.Counts(2, 2);
        long start = 1_000_000_000L;
        t.offered(one);
        assertThat(t.next(two, one, start)).isEqualTo(two);
        // The page lost the request (or dropped it): nothing while a re-offer may still be on its way...
        assertThat(t.next(two, one, start + SlotTarget.REPEAT_AFTER_NANOS - 1)).isNull();
        // ...then the same absolute target once more, and again only after another wait.
        assertThat(t.next(two, one, start + SlotTarget.REPEAT_AFTER_NANOS)).isEqualTo(two);
        assertThat(t.next(two, one, start + SlotTarget.REPEAT_AFTER_NANOS + 1)).isNull();
        t.offered(two);
        assertThat(t.next(two, two, start + 3 * SlotTarget.REPEAT_AFTER_NANOS)).as("met: never again").isNull();
        assertThat(t.waiting()).isFalse();
    }

    @Test
    void beforeThePagesFirstOfferNothingIsSentHoweverLongItTakes() {
        SlotTarget t = new SlotTarget();
        assertThat(t.next(new SlotTarget.Counts(3, 9), SlotTarget.Counts.NONE, Long.MAX_VALUE / 2)).isNull();
    }

    @Test
    void aReofferMeetingWhatIsStillWantedEndsTheWaitWhenSomeoneLeftMeanwhile() {
        SlotTarget t = new SlotTarget();
        t.offered(new SlotTarget.Counts(1, 1));
        assertThat(t.next(new SlotTarget.Counts(3, 3), new SlotTarget.Counts(1, 1), 0)).isEqualTo(new SlotTarget.Counts(3, 3));
        // The page asked for fewer videos (its window shrank) and offered 3 + 2.
        t.offered(new SlotTarget.Counts(3, 2));
        assertThat(t.next(new SlotTarget.Counts(3, 2), new SlotTarget.Counts(3, 2), 0)).isNull();
        assertThat(t.waiting()).isFalse();
        assertThat(t.next(new SlotTarget.Counts(3, 4), new SlotTarget.Counts(3, 2), 0)).isEqualTo(new SlotTarget.Counts(3, 4));
    }
}
