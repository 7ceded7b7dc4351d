package org.steno.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlatformRoleTest {

    @Test
    void parsesIdsIgnoringCase() {
        assertThat(PlatformRole.parse("admin")).isEqualTo(PlatformRole.ADMIN);
        assertThat(PlatformRole.parse("AGENT")).isEqualTo(PlatformRole.AGENT);
        assertThat(PlatformRole.parse(" Auditor ")).isEqualTo(PlatformRole.AUDITOR);
        assertThat(PlatformRole.AUDITOR.id()).isEqualTo("auditor");
    }

    @Test
    void anUnknownRoleNamesTheValidOnes() {
        assertThatThrownBy(() -> PlatformRole.parse("root")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown platform role \"root\": the roles are admin, agent, auditor");
        assertThatThrownBy(() -> PlatformRole.parse(null)).hasMessageStartingWith("unknown platform role null:");
        assertThatThrownBy(() -> PlatformRole.parseList("admin,,agent")).hasMessageStartingWith("unknown platform role \"\":");
    }

    @Test
    void listsAndTheirStoredForm() {
        assertThat(PlatformRole.parseList("agent, admin")).containsExactly(PlatformRole.ADMIN, PlatformRole.AGENT);
        assertThat(PlatformRole.parseList("")).isEmpty();
        assertThat(PlatformRole.parseList("  ")).isEmpty();
        assertThat(PlatformRole.format(PlatformRole.parseList("auditor,admin"))).isEqualTo("admin,auditor");
        assertThat(PlatformRole.format(java.util.Set.of())).isEmpty();
    }
}
