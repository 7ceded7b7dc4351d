package org.steno.server;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.steno.server.config.ConfigLoader;
import org.steno.server.config.StenoConfig;

/** Configurations for tests: every port 0 (the OS picks), loopback only, a private data dir. */
public final class TestConfigs {

    private TestConfigs() {
    }

    public static Map<String, String> ephemeralEnv(Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("STENO_DATA_DIR", dataDir.toString());
        env.put("STENO_HTTP_HOST", "127.0.0.1");
        env.put("STENO_HTTP_PORT", "0");
        env.put("STENO_GRPC_PORT", "0");
        env.put("STENO_MEDIA_PORT", "0");
        env.put("STENO_S3_PORT", "0");
        return env;
    }

    public static StenoConfig ephemeral(Path dataDir) {
        return ConfigLoader.load(null, ephemeralEnv(dataDir));
    }
}
