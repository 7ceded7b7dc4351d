package org.steno.server;

import java.nio.file.Path;
import java.util.Map;
import org.steno.server.config.ConfigLoader;
import org.steno.server.config.StenoConfig;

/** Configurations for tests: every port 0 (the OS picks), loopback only, a private data dir. */
public final class TestConfigs {

    private TestConfigs() {
    }

    public static Map<String, String> ephemeralEnv(Path dataDir) {
        return ConfigLoader.ephemeralEnv(dataDir);
    }

    public static StenoConfig ephemeral(Path dataDir) {
        return ConfigLoader.load(null, ephemeralEnv(dataDir));
    }
}
