package org.steno.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.steno.identity.Fixtures.pw;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher fast = Fixtures.fastHasher();

    @Test
    void roundTripAndWrongPassword() {
        String encoded = fast.hash(pw("correct horse battery"));
        assertThat(fast.verify(pw("correct horse battery"), encoded)).isTrue();
        assertThat(fast.verify(pw("correct horse batterx"), encoded)).isFalse();
        assertThat(fast.verify(pw(""), encoded)).isFalse();
        assertThat(fast.verify(pw("pässwörd ✓ 会议"), fast.hash(pw("pässwörd ✓ 会议")))).as("UTF-8").isTrue();
    }

    @Test
    void phcFormatAndAFreshSaltEachTime() {
        String a = fast.hash(pw("same password"));
        String b = fast.hash(pw("same password"));
        // 16-byte salt → 22 Base64 characters, 32-byte hash → 43, no padding.
        assertThat(a).matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(a).isNotEqualTo(b);
        assertThat(fast.verify(pw("same password"), b)).isTrue();
    }

    @Test
    void theDefaultParametersAreOwaspsAndVerifyAnyStoredParameters() {
        PasswordHasher real = new PasswordHasher();
        String encoded = real.hash(pw("a real password"));
        assertThat(encoded).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        String[] parts = encoded.split("\\$");
        assertThat(Base64.getDecoder().decode(parts[4])).hasSize(16);
        assertThat(Base64.getDecoder().decode(parts[5])).hasSize(32);
        assertThat(real.verify(pw("a real password"), encoded)).isTrue();
        assertThat(real.verify(pw("a real passworD"), encoded)).isFalse();
        // Parameters come from the string: hashes made at other costs still verify.
        assertThat(real.verify(pw("cheap"), fast.hash(pw("cheap")))).isTrue();
    }

    @Test
    void verifiesTheReferenceImplementationsOutput() {
        // phc-winner-argon2 src/test.c: argon2id, "password", salt "somesalt" (8 bytes), m=256, t=2, p=1.
        String reference = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
        assertThat(fast.verify(pw("password"), reference)).isTrue();
        assertThat(fast.verify(pw("passwore"), reference)).isFalse();
    }

    @Test
    void malformedEncodingsAreFalseNeverAnException() {
        String good = fast.hash(pw("password one"));
        String[] p = good.split("\\$"); // "", argon2id, v=19, m=64,t=1,p=1, salt, hash
        String[] bad = {
                null, "", "garbage", "$argon2id$", good + "$", good + "x=", good.substring(0, good.length() - 1) + "!",
                good.replace("$argon2id$", "$argon2i$"),
                good.replace("$v=19$", "$v=16$"),
                good.replace("m=64,", "m=0,"),
                good.replace("m=64,", "m=9999999,"),            // 9.5 GiB: refused, not allocated
                good.replace("t=1,", "t=0,"),
                good.replace("t=1,", "t=999,"),
                good.replace(",p=1$", ",p=0$"),
                good.replace(",p=1$", ",p=64$"),
                good.replace("m=64,t=1,p=1", "t=1,m=64,p=1"),
                "$argon2id$v=19$m=64,t=1,p=1$" + p[4] + "$" + p[5] + "AB", // 45 characters: not Base64
                "$argon2id$v=19$m=64,t=1,p=1$c29tZQ$" + p[5],         // 4-byte salt
                "$argon2id$v=19$m=64,t=1,p=1$" + p[4] + "$" + p[5] + p[5] + p[5], // 96-byte hash
                "$argon2id$v=19$m=64,t=1,p=1$" + p[4],
                "$argon2id$v=19$m=64,t=1,p=1$" + p[4] + "$" + p[5] + "$extra",
                "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", // bcrypt
        };
        for (String s : bad) {
            assertThat(fast.verify(pw("password one"), s)).as("%s", s).isFalse();
        }
        assertThat(fast.verify(null, good)).isFalse();
        assertThat(fast.verify(pw("password one"), good)).as("the unaltered string still verifies").isTrue();
    }

    @Test
    void generatedPasswordsAreTwentyUnambiguousCharacters() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String g = PasswordHasher.generatePassword();
            assertThat(g).hasSize(20).matches("[2-9a-zA-Z]+").doesNotContain("0", "1", "o", "O", "l", "I", "i");
            seen.add(g);
        }
        assertThat(seen).hasSize(200);
    }

    @Test
    void parametersTooLowForArgon2AreRefused() {
        assertThatThrownBy(() -> new PasswordHasher(4, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Argon2 needs at least 8 KiB per lane and 1 iteration, got m=4, t=1");
    }
}
