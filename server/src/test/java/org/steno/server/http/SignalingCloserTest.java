package org.steno.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The deadlock RoomLayoutInBrowserTest found: a close reported inside a send made under lock A ran the session's
 * end, which takes lock B, while another thread held B and was sending. With the closer, the end runs elsewhere.
 */
class SignalingCloserTest {

    @Test
    void twoClosesReportedUnderCrossedLocksBothFinishInOrderOnTheClosersThread() throws Exception {
        SignalingCloser closer = new SignalingCloser();
        Object group = new Object();
        Object meeting = new Object();
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch bothHoldTheirLock = new CountDownLatch(2);
        CountDownLatch done = new CountDownLatch(2);
        Thread a = new Thread(() -> {
            synchronized (group) {
                bothHoldTheirLock.countDown();
                await(bothHoldTheirLock);
                closer.execute(() -> { // the session's end: needs the meeting's lock
                    synchronized (meeting) {
                        ran.add("a on " + Thread.currentThread().getName());
                    }
                    done.countDown();
                });
            }
        });
        Thread b = new Thread(() -> {
            synchronized (meeting) {
                bothHoldTheirLock.countDown();
                await(bothHoldTheirLock);
                closer.execute(() -> { // needs the group's lock
                    synchronized (group) {
                        ran.add("b on " + Thread.currentThread().getName());
                    }
                    done.countDown();
                });
            }
        });
        a.start();
        b.start();
        assertThat(done.await(10, TimeUnit.SECONDS)).as("both ends ran: no deadlock").isTrue();
        assertThat(ran).hasSize(2).allMatch(s -> s.endsWith("on signaling-close"));
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
