package org.steno.models.kyutai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.steno.models.kyutai.KyutaiTestKit.await;
import static org.steno.models.kyutai.KyutaiTestKit.finals;
import static org.steno.models.kyutai.KyutaiTestKit.hasFlushDone;

import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.steno.models.transcriber.RecognizeStream;

/** Streams share the server's batch without mixing, and every way a stream ends gives its slot back. */
class KyutaiLifecycleTest {

    static final String TEXT = "alpha bravo charlie delta echo foxtrot golf hotel india";
    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void eightConcurrentStreamsEachGetTheirOwnWords() throws Exception {
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT).withBatchSize(8))) {
            List<RecognizeStream> streams = new ArrayList<>();
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                RecognizeStream s = RecognizeStream.open(kit.stub);
                s.send(RecognizeStream.config("s" + i));
                streams.add(s);
                int words = 2 + i % 4;
                byte[] audio = KyutaiTestKit.words(words, 100 * i, new ArrayList<>());
                Thread t = new Thread(() -> {
                    try {
                        s.sendAudio(audio, 3200);
                        s.flush("f");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                senders.add(t);
            }
            for (Thread t : senders) {
                t.join(30_000);
            }
            for (int i = 0; i < 8; i++) {
                RecognizeStream s = streams.get(i);
                await("FlushDone of s" + i, WAIT, () -> hasFlushDone(s.snapshot(), "f") || s.closed.isDone());
                assertThat(s.closed.isDone()).as("s%d: %s", i, s.closed.getNow(null)).isFalse();
                String expected = String.join(" ", List.of(TEXT.split(" ")).subList(0, 2 + i % 4));
                assertThat(finals(s.snapshot())).hasSize(1);
                assertThat(finals(s.snapshot()).get(0).getResults().getResults(0).getAlternatives(0).getTranscript()).isEqualTo(expected);
                s.halfClose();
            }
            for (RecognizeStream s : streams) {
                assertThat(s.await().getCode()).isEqualTo(Status.Code.OK);
            }
            await("every slot back", WAIT, () -> kit.standIn.slotsInUse() == 0);
        }
    }

    @Test
    void cancelledAndFailedStreamsGiveTheirSlotBackAndNoThreadIsLeft() throws Exception {
        try (KyutaiTestKit kit = new KyutaiTestKit(KyutaiTestKit.options(TEXT).withBatchSize(4))) {
            long before = kyutaiThreads();
            for (int round = 0; round < 40; round++) {
                RecognizeStream s = RecognizeStream.open(kit.stub);
                s.send(RecognizeStream.config("c" + round));
                s.sendAudio(KyutaiTestKit.words(1, 0, new ArrayList<>()), 3200);
                if (round % 2 == 0) {
                    s.cancel();
                } else {
                    s.sendRaw(org.steno.proto.speech.v1.StreamingRecognizeRequest.newBuilder()
                            .setAudio(com.google.protobuf.ByteString.copyFrom(new byte[3])).build());
                    assertThat(s.await().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                }
                // With 4 slots, 40 streams in a row only work if every ended stream freed its slot.
                int n = round;
                await("slots back after stream " + n, WAIT, () -> kit.standIn.slotsInUse() == 0);
            }
            // A stream cancelled before its upgrade completed never got a slot; none was refused one.
            assertThat(kit.standIn.connections().size()).isBetween(20, 40);
            assertThat(kit.standIn.refusedNoSlot()).isZero();
            assertThat(kyutaiThreads()).isLessThanOrEqualTo(Math.max(before, Math.max(2, Runtime.getRuntime().availableProcessors()) + 1));
        }
    }

    private static long kyutaiThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("kyutai-")).count();
    }
}
