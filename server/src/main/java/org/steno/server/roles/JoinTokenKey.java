package org.steno.server.roles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The HMAC key that signs join tokens: 32 random bytes generated on first start and kept in
 * {@code <data.dir>/join-token.key} (owner-only), so tokens survive a restart and every
 * process sharing the data directory accepts them.
 */
final class JoinTokenKey {

    static final String FILE_NAME = "join-token.key";

    private JoinTokenKey() {
    }

    static byte[] loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            String hex = Files.readString(file).strip();
            try {
                byte[] key = HexFormat.of().parseHex(hex);
                if (key.length >= 32) {
                    return key;
                }
            } catch (IllegalArgumentException e) {
                // fall through to the error below
            }
            throw new IOException(file + " does not hold a 64-hex-digit key; delete it to generate a new one"
                    + " (join tokens already issued stop working)");
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path tmp = Files.createTempFile(dataDir, ".join-token", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the directory's own protection is all there is.
            }
            Files.writeString(tmp, HexFormat.of().formatHex(key) + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return key;
    }
}
