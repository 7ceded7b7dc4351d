package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.steno.server.config.Setting;
import org.steno.server.roles.Role;

/** The README's configuration table and command list stay true to the code. */
class ReadmeTest {

    private static String readme() throws Exception {
        Path p = Path.of("..", "README.md");
        if (!Files.exists(p)) {
            p = Path.of("README.md");
        }
        return Files.readString(p);
    }

    @Test
    void everySettingIsInTheTableWithItsDefault() throws Exception {
        String readme = readme();
        for (Setting s : Setting.values()) {
            String row = readme.lines().filter(l -> l.startsWith("| `" + s.key() + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError("README has no row for " + s.key()));
            assertThat(row).contains("`" + s.envName() + "`");
            if (!s.defaultValue().isEmpty()) {
                assertThat(row).as(s.key()).contains("`" + s.defaultValue() + "`");
            } else {
                assertThat(row).as(s.key()).contains("| empty |");
            }
        }
    }

    @Test
    void everyRoleIsListed() throws Exception {
        String readme = readme();
        for (Role r : Role.values()) {
            assertThat(readme).contains("steno " + r.cliName());
        }
    }
}
