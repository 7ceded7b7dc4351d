package org.steno.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ComponentsTest {

    private final List<String> events = new CopyOnWriteArrayList<>();

    private Component component(String name, boolean failStart, boolean failStop) {
        return new Component() {
            boolean started;

            @Override
            public String name() {
                return name;
            }

            @Override
            public void start() throws Exception {
                if (failStart) {
                    throw new StartupException(name + " cannot start", null);
                }
                started = true;
                events.add("start " + name);
            }

            @Override
            public void stop() {
                events.add("stop " + name);
                if (failStop) {
                    throw new IllegalStateException("boom");
                }
            }

            @Override
            public Readiness readiness() {
                if (name.equals("broken-check")) {
                    throw new IllegalStateException("check failed");
                }
                return started ? Readiness.ready("ok") : Readiness.notReady("not started");
            }
        };
    }

    @Test
    void stopsInReverseOrder() throws Exception {
        Components c = new Components(List.of(component("a", false, false), component("b", false, false), component("c", false, false)));
        c.start();
        c.close();
        assertThat(events).containsExactly("start a", "start b", "start c", "stop c", "stop b", "stop a");
    }

    @Test
    void aFailedStartStopsWhatAlreadyStartedAndRethrows() {
        Components c = new Components(List.of(component("a", false, false), component("b", false, false), component("c", true, false)));
        assertThatThrownBy(c::start).isInstanceOf(StartupException.class).hasMessage("c cannot start");
        assertThat(events).containsExactly("start a", "start b", "stop b", "stop a");
    }

    @Test
    void oneComponentFailingToStopDoesNotKeepOthersRunning() throws Exception {
        Components c = new Components(List.of(component("a", false, false), component("b", false, true)));
        c.start();
        c.close();
        c.close(); // idempotent
        assertThat(events).containsExactly("start a", "start b", "stop b", "stop a");
    }

    @Test
    void readinessIsReportedInOrderAndAThrowingCheckIsNotReady() throws Exception {
        Components c = new Components(List.of(component("a", false, false), component("broken-check", false, false)));
        assertThat(c.readiness().get("a").ready()).isFalse();
        c.start();
        assertThat(c.readiness().keySet()).containsExactly("a", "broken-check");
        assertThat(c.readiness().get("a").ready()).isTrue();
        assertThat(c.readiness().get("broken-check").ready()).isFalse();
        assertThat(c.readiness().get("broken-check").detail()).contains("check failed");
        c.close();
    }
}
