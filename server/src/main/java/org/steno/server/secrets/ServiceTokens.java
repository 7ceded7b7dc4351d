package org.steno.server.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.steno.access.ServiceToken;
import org.steno.server.config.StenoConfig;

/**
 * The deployment's service token: {@code service.token} when set (roles on several hosts share
 * it), else generated once into {@code <data.dir>/service-token} (mode 600), which every role
 * and {@code steno replay} on this host read.
 */
public final class ServiceTokens {

    public static final String FILE_NAME = "service-token";

    private ServiceTokens() {
    }

    public static ServiceToken forProcess(StenoConfig config) throws IOException {
        if (!config.serviceToken().isEmpty()) {
            return ServiceToken.of(config.serviceToken());
        }
        return loadOrCreate(config.dataDir());
    }

    public static ServiceToken loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        String value = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8)
                : SecretFiles.createOnce(file, SecretFiles.randomHex(32) + "\n");
        value = value.trim();
        if (value.isEmpty()) {
            throw new IOException(file + " is empty; delete it and restart to generate a new service token");
        }
        return ServiceToken.of(value);
    }
}
