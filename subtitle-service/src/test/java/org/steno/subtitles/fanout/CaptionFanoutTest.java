package org.steno.subtitles.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.steno.proto.captions.v1.CaptionControl;
import org.steno.proto.captions.v1.CaptionEvent;
import org.steno.proto.captions.v1.CaptionKind;

class CaptionFanoutTest {

    /** A viewer that records what it receives; "slow" ones hold every send until released. */
    static final class RecordingViewer implements CaptionViewer {
        final List<String> received = new ArrayList<>();
        final List<Consumer<Throwable>> pending = new ArrayList<>();
        final boolean slow;
        String closedBecause;

        RecordingViewer(boolean slow) {
            this.slow = slow;
        }

        @Override
        public synchronized void send(String json, Consumer<Throwable> done) {
            received.add(json);
            if (slow) {
                pending.add(done);
            } else {
                done.accept(null);
            }
        }

        @Override
        public void close(String reason) {
            closedBecause = reason;
        }

        /** Completes the one send in flight (the queue then sends the next). */
        void releaseOne() {
            Consumer<Throwable> d;
            synchronized (this) {
                d = pending.remove(0);
            }
            d.accept(null);
        }

        List<CaptionEvent> events() {
            List<CaptionEvent> out = new ArrayList<>();
            for (String j : received) {
                if (!j.contains("segmentId")) {
                    continue;
                }
                CaptionEvent.Builder b = CaptionEvent.newBuilder();
                try {
                    JsonFormat.parser().merge(j, b);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                out.add(b.build());
            }
            return out;
        }
    }

    static CaptionEvent ev(String meeting, String seg, int rev, CaptionKind kind, String text) {
        return CaptionEvent.newBuilder().setMeetingId(meeting).setSegmentId(seg).setRevision(rev).setKind(kind)
                .setSpeakerDisplayName("Alice").setText(text).build();
    }

    @Test
    void deliversToViewersOfTheMeetingOnlyAsProtobufJson() {
        CaptionFanout f = new CaptionFanout();
        RecordingViewer a = new RecordingViewer(false);
        RecordingViewer b = new RecordingViewer(false);
        f.subscribe("m1", a);
        f.subscribe("m2", b);
        assertThat(f.publish(ev("m1", "t1/0-0", 0, CaptionKind.CAPTION_KIND_INTERIM, "hello"))).isEqualTo(Outcome.ACCEPTED);
        assertThat(a.received).hasSize(1);
        assertThat(a.received.get(0)).contains("\"segmentId\":\"t1/0-0\"").contains("\"speakerDisplayName\":\"Alice\"")
                .contains("\"kind\":\"CAPTION_KIND_INTERIM\"");
        assertThat(b.received).isEmpty();
    }

    @Test
    void duplicatesAndStaleRevisionsAreNotForwarded() {
        CaptionFanout f = new CaptionFanout();
        RecordingViewer a = new RecordingViewer(false);
        f.subscribe("m1", a);
        assertThat(f.publish(ev("m1", "s", 1, CaptionKind.CAPTION_KIND_INTERIM, "a b"))).isEqualTo(Outcome.ACCEPTED);
        assertThat(f.publish(ev("m1", "s", 1, CaptionKind.CAPTION_KIND_INTERIM, "a b"))).isEqualTo(Outcome.DUPLICATE);
        assertThat(f.publish(ev("m1", "s", 0, CaptionKind.CAPTION_KIND_INTERIM, "a"))).isEqualTo(Outcome.STALE);
        assertThat(f.publish(ev("m1", "s", 2, CaptionKind.CAPTION_KIND_FINAL, "a b c"))).isEqualTo(Outcome.ACCEPTED);
        assertThat(a.events()).extracting(CaptionEvent::getRevision).containsExactly(1, 2);
    }

    @Test
    void lateJoinerGetsTheLatestVersionOfTheLastLines() {
        CaptionFanout f = new CaptionFanout();
        for (int i = 0; i < 6; i++) {
            f.publish(ev("m1", "s" + i, 0, CaptionKind.CAPTION_KIND_INTERIM, "draft " + i));
            f.publish(ev("m1", "s" + i, 1, CaptionKind.CAPTION_KIND_FINAL, "line " + i));
        }
        f.publish(ev("m1", "s6", 0, CaptionKind.CAPTION_KIND_INTERIM, "speaking now"));
        RecordingViewer late = new RecordingViewer(false);
        f.subscribe("m1", late);
        assertThat(late.events()).extracting(CaptionEvent::getText)
                .containsExactly("line 3", "line 4", "line 5", "speaking now");
    }

    @Test
    void retractedSegmentLeavesTheLastLines() {
        CaptionFanout f = new CaptionFanout();
        f.publish(ev("m1", "a", 0, CaptionKind.CAPTION_KIND_FINAL, "kept"));
        f.publish(ev("m1", "b", 0, CaptionKind.CAPTION_KIND_INTERIM, "uh"));
        f.publish(ev("m1", "b", 1, CaptionKind.CAPTION_KIND_RETRACTED, ""));
        RecordingViewer late = new RecordingViewer(false);
        f.subscribe("m1", late);
        assertThat(late.events()).extracting(CaptionEvent::getText).containsExactly("kept");
    }

    @Test
    void slowClientQueueIsBoundedByDroppingOldInterimsButNeverFinals() {
        CaptionFanout f = new CaptionFanout(8, 1000);
        RecordingViewer slow = new RecordingViewer(true);
        RecordingViewer fast = new RecordingViewer(false);
        f.subscribe("m1", slow);
        f.subscribe("m1", fast);
        int finals = 0;
        for (int seg = 0; seg < 20; seg++) {
            for (int rev = 0; rev < 10; rev++) {
                f.publish(ev("m1", "s" + seg, rev, CaptionKind.CAPTION_KIND_INTERIM, "seg " + seg + " rev " + rev));
            }
            f.publish(ev("m1", "s" + seg, 10, CaptionKind.CAPTION_KIND_FINAL, "final " + seg));
            finals++;
        }
        // The fast viewer got everything; the slow one has one in flight and a bounded queue.
        assertThat(fast.events()).hasSize(20 * 11);
        assertThat(slow.received).hasSize(1);
        while (!slow.pending.isEmpty()) {
            slow.releaseOne();
        }
        List<CaptionEvent> got = slow.events();
        assertThat(got.size()).isLessThan(20 * 11 / 4);
        assertThat(got).filteredOn(e -> e.getKind() == CaptionKind.CAPTION_KIND_FINAL)
                .extracting(CaptionEvent::getText)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, finals).mapToObj(i -> "final " + i).toList());
        assertThat(slow.closedBecause).isNull();
    }

    @Test
    void hopelesslySlowClientIsDisconnectedRatherThanGrowingWithoutBound() {
        CaptionFanout f = new CaptionFanout(4, 16);
        RecordingViewer stuck = new RecordingViewer(true);
        f.subscribe("m1", stuck);
        for (int seg = 0; seg < 40; seg++) {
            f.publish(ev("m1", "s" + seg, 0, CaptionKind.CAPTION_KIND_FINAL, "final " + seg));
        }
        assertThat(stuck.closedBecause).contains("too slow");
    }

    @Test
    void controlReachesViewersAndUnsubscribeStopsDelivery() {
        CaptionFanout f = new CaptionFanout();
        RecordingViewer a = new RecordingViewer(false);
        CaptionFanout.Subscription sub = f.subscribe("m1", a);
        assertThat(f.control(CaptionControl.newBuilder().setMeetingId("m1").setEnabled(true).setLanguageCode("en-US").build()))
                .isEqualTo(1);
        assertThat(a.received.get(0)).contains("\"enabled\":true");
        // "Off" says so explicitly (proto3 JSON would drop a false field), and the last lines go.
        f.publish(ev("m1", "s1", 0, CaptionKind.CAPTION_KIND_FINAL, "before off"));
        f.control(CaptionControl.newBuilder().setMeetingId("m1").setEnabled(false).build());
        assertThat(a.received.get(a.received.size() - 1)).contains("\"enabled\":false").contains("\"languageCode\":\"\"");
        RecordingViewer late = new RecordingViewer(false);
        f.subscribe("m1", late);
        assertThat(late.received).as("no last lines after captions went off").isEmpty();
        sub.close();
        int before = a.received.size();
        f.publish(ev("m1", "x", 0, CaptionKind.CAPTION_KIND_FINAL, "after"));
        assertThat(a.received).hasSize(before);
        assertThat(f.viewers("m1")).isEqualTo(1); // the late viewer
    }

    static CaptionEvent at(String seg, long mediaStartMs, String text) {
        return ev("m1", seg, 0, CaptionKind.CAPTION_KIND_FINAL, text).toBuilder()
                .setMediaStart(com.google.protobuf.util.Durations.fromMillis(mediaStartMs)).build();
    }

    @Test
    void wordsSpokenBeforeOffArrivingAfterItAreNotShownAndAnEndedMeetingIsForgotten() {
        CaptionFanout f = new CaptionFanout();
        RecordingViewer a = new RecordingViewer(false);
        CaptionFanout.Subscription sub = f.subscribe("m1", a);
        f.publish(ev("m1", "t1/1000-0", 0, CaptionKind.CAPTION_KIND_INTERIM, "last wor").toBuilder()
                .setMediaStart(com.google.protobuf.util.Durations.fromMillis(1000)).build());
        f.control(CaptionControl.newBuilder().setMeetingId("m1").setEnabled(false)
                .setMediaTime(com.google.protobuf.util.Durations.fromMillis(5000)).build());
        int told = a.received.size();
        // The recogniser finalises the last words after the stop.
        assertThat(f.publish(at("t1/1000-0", 1000, "last words"))).isEqualTo(Outcome.AFTER_OFF);
        assertThat(a.received).hasSize(told);
        sub.close();
        assertThat(f.meetingsKept()).as("nobody watches, nothing to keep").isZero();
        assertThat(f.publish(at("t1/1000-0", 1000, "last words"))).isEqualTo(Outcome.AFTER_OFF);
        assertThat(f.meetingsKept()).as("a late caption does not bring the meeting back").isZero();

        // Speech after the "off" means captions are on again (its "on" may come second).
        assertThat(f.publish(at("t1/7000-0", 7000, "hello again"))).isEqualTo(Outcome.ACCEPTED);
        RecordingViewer late = new RecordingViewer(false);
        f.subscribe("m1", late).close();
        assertThat(late.events()).extracting(CaptionEvent::getText).containsExactly("hello again");
        assertThat(f.meetingsKept()).as("last lines are kept for late joiners while captions are on").isEqualTo(1);
    }

    @Test
    void viewersOfAMeetingWithoutCaptionsLeaveNothingBehind() {
        CaptionFanout f = new CaptionFanout();
        for (int i = 0; i < 100; i++) {
            f.subscribe("m" + i, new RecordingViewer(false)).close();
        }
        assertThat(f.meetingsKept()).isZero();
    }
}
