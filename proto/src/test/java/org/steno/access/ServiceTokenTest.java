package org.steno.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class ServiceTokenTest {

    private static final String SECRET = "c2VjcmV0LXRva2VuLWZvci10ZXN0cw";

    @Test
    void matchesOnlyItsOwnBearerHeader() {
        ServiceToken t = ServiceToken.of(SECRET);
        assertThat(t.matches("Bearer " + SECRET)).isTrue();
        assertThat(t.matches(SECRET)).isFalse();
        assertThat(t.matches("Bearer " + SECRET + "x")).isFalse();
        assertThat(t.matches("Bearer " + SECRET.substring(1))).isFalse();
        assertThat(t.matches("bearer " + SECRET)).isFalse();
        assertThat(t.matches(null)).isFalse();
        assertThat(t.matches("")).isFalse();
    }

    @Test
    void neverShowsItselfAndRefusesWhatCannotTravelInAHeader() {
        assertThat(ServiceToken.of(SECRET).toString()).doesNotContain(SECRET).contains("redacted");
        assertThatThrownBy(() -> ServiceToken.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceToken.of("two words")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceToken.of("line\nbreak")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceToken.of("caf\u00e9-token")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void travelsWithTheFlinkJob() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(ServiceToken.of(SECRET));
        }
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            ServiceToken back = (ServiceToken) in.readObject();
            assertThat(back.matches("Bearer " + SECRET)).isTrue();
        }
    }
}
