package org.steno.simulator.signal;

/** An answer like the SFU's with one host candidate of the test's choosing. */
public final class AnswerTestFixtures {

    private AnswerTestFixtures() {
    }

    public static String answer(String address, int port) {
        return AnswerTest.ANSWER.replace("192.0.2.2 10000 typ host", address + " " + port + " typ host");
    }
}
