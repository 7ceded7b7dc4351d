package org.steno.identity;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, standard Base64 without padding),
 * the form other Argon2 libraries read and write, so stored hashes can move with the data.
 */
public final class PasswordHasher {

    /** OWASP's minimum for Argon2id (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane. */
    static final int MEMORY_KIB = 19456;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    /**
     * Upper bounds on what {@link #verify} accepts from a stored string: a row edited to say
     * m=4194304 must not make one sign-in attempt allocate 4 GiB or run for minutes.
     */
    private static final int MAX_MEMORY_KIB = 262_144;
    private static final int MAX_ITERATIONS = 16;
    private static final int MAX_PARALLELISM = 16;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{22,})");

    /** No 0/O/o, 1/l/I/i: the password is read off a screen or a terminal and typed once. */
    private static final String ALPHABET = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final int GENERATED_LENGTH = 20; // 20 × log2(55) ≈ 115 bits

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

    private final int memoryKiB;
    private final int iterations;

    public PasswordHasher() {
        this(MEMORY_KIB, ITERATIONS);
    }

    /** Cheaper parameters for tests; verify reads the parameters from the string, so either verifies the other's hashes. */
    PasswordHasher(int memoryKiB, int iterations) {
        if (memoryKiB < 8 * PARALLELISM || iterations < 1) {
            throw new IllegalArgumentException("Argon2 needs at least 8 KiB per lane and 1 iteration, got m="
                    + memoryKiB + ", t=" + iterations);
        }
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
    }

    /** A new random salt each call, so the same password never hashes the same twice. */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = argon2(password, salt, memoryKiB, iterations, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + PARALLELISM
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /**
     * Whether {@code password} is the one {@code encoded} was made from, with the parameters
     * the string names. False, never an exception, for null or malformed strings: a damaged
     * row must refuse that one sign-in, not fail the request.
     */
    public boolean verify(char[] password, String encoded) {
        if (password == null || encoded == null) {
            return false;
        }
        Matcher m = PHC.matcher(encoded);
        if (!m.matches()) {
            return false;
        }
        try {
            int memory = Integer.parseInt(m.group(1));
            int iter = Integer.parseInt(m.group(2));
            int lanes = Integer.parseInt(m.group(3));
            byte[] salt = B64_DECODE.decode(m.group(4));
            byte[] expected = B64_DECODE.decode(m.group(5));
            if (lanes < 1 || lanes > MAX_PARALLELISM || memory < 8 * lanes || memory > MAX_MEMORY_KIB
                    || iter < 1 || iter > MAX_ITERATIONS || salt.length < 8 || expected.length > 64) {
                return false;
            }
            byte[] actual = argon2(password, salt, memory, iter, lanes, expected.length);
            // MessageDigest.isEqual compares in time independent of where the bytes differ.
            return MessageDigest.isEqual(actual, expected);
        } catch (RuntimeException e) { // e.g. Base64 with a dangling final character
            return false;
        }
    }

    /** A one-time password for a new or reset account: 20 characters nobody misreads. */
    public static String generatePassword() {
        StringBuilder out = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    private static byte[] argon2(char[] password, byte[] salt, int memoryKiB, int iterations, int lanes, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(lanes)
                .withSalt(salt)
                .build(); // passwords are turned into bytes as UTF-8, like every other implementation
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }
}
