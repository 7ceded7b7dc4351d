package org.steno.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.steno.identity.PlatformRole;

class OidcSettingsTest {

    private static final URI ISSUER = URI.create("https://keycloak.example.org/realms/steno");
    private static final URI REDIRECT = URI.create("https://steno.example.org/auth/oidc/callback");

    @Test
    void parsesARoleMapInOrderIgnoringSpacesAndCase() {
        assertThat(OidcSettings.parseRoleMap(" steno-admins=admin, steno-auditors = AUDITOR,/steno/agents=agent "))
                .containsExactly(entry("steno-admins", PlatformRole.ADMIN), entry("steno-auditors", PlatformRole.AUDITOR),
                        entry("/steno/agents", PlatformRole.AGENT));
        assertThat(OidcSettings.parseRoleMap("")).isEmpty();
        assertThat(OidcSettings.parseRoleMap(null)).isEmpty();
    }

    @Test
    void aBadRoleMapIsOneSentenceNamingTheEntry() {
        assertThatThrownBy(() -> OidcSettings.parseRoleMap("steno-admins"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the role map entry \"steno-admins\" is not claim-value=role, e.g. steno-admins=admin");
        assertThatThrownBy(() -> OidcSettings.parseRoleMap("=admin"))
                .hasMessage("the role map entry \"=admin\" is not claim-value=role, e.g. steno-admins=admin");
        assertThatThrownBy(() -> OidcSettings.parseRoleMap("steno-admins=boss"))
                .hasMessage("the role map entry \"steno-admins=boss\" names an unknown role \"boss\": expected admin, agent or auditor");
        assertThatThrownBy(() -> OidcSettings.parseRoleMap("a=admin,,b=agent"))
                .hasMessage("the role map \"a=admin,,b=agent\" has an empty entry: write claim-value=role, separated by commas");
        assertThatThrownBy(() -> OidcSettings.parseRoleMap("a=admin,a=auditor"))
                .hasMessage("the role map gives \"a\" twice; one claim value maps to one role");
    }

    @Test
    void defaultsScopesAndKeepsOpenidFirst() {
        OidcSettings defaults = new OidcSettings(ISSUER, "steno", "secret", REDIRECT, null, null, null, null);
        assertThat(defaults.scopes()).containsExactly("openid", "profile", "email");
        assertThat(defaults.roleClaim()).isEmpty();
        assertThat(defaults.roleMap()).isEmpty();
        assertThat(defaults.defaultRoles()).isEmpty();

        OidcSettings proConnect = new OidcSettings(ISSUER, "steno", "secret", REDIRECT,
                List.of("given_name", "usual_name", "email", "uid"), "", Map.of(), Set.of(PlatformRole.AGENT));
        assertThat(proConnect.scopes()).containsExactly("openid", "given_name", "usual_name", "email", "uid");
    }

    @Test
    void toStringHidesTheSecret() {
        OidcSettings s = new OidcSettings(ISSUER, "steno", "very-secret-value", REDIRECT, null, "groups", Map.of(), Set.of());
        assertThat(s.toString()).contains("steno", ISSUER.toString()).doesNotContain("very-secret-value");
    }

    @Test
    void refusesIncompleteSettingsWithTheConfigKey() {
        assertThatThrownBy(() -> new OidcSettings(ISSUER, "steno", " ", REDIRECT, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auth.oidc.client-secret");
        assertThatThrownBy(() -> new OidcSettings(ISSUER, "", "secret", REDIRECT, null, null, null, null))
                .hasMessageContaining("auth.oidc.client-id");
        assertThatThrownBy(() -> new OidcSettings(URI.create("keycloak/realms/steno"), "steno", "secret", REDIRECT, null, null, null, null))
                .hasMessageContaining("auth.oidc.issuer");
        assertThatThrownBy(() -> new OidcSettings(ISSUER, "steno", "secret", URI.create("/auth/oidc/callback"), null, null, null, null))
                .hasMessageContaining("redirect URI");
    }
}
