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

    /**
     * A started {@code steno up} on its defaults (every address bound, nothing advertised) but for
     * ephemeral ports and a private data dir, with {@code extra} settings; what it prints at start
     * (the first administrator's password) is kept off the test's output.
     */
    public static org.steno.server.roles.StenoProcess startUp(Path dataDir, Map<String, String> extra) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(ephemeralEnv(dataDir));
        env.remove("STENO_HTTP_HOST");
        env.remove("STENO_MEDIA_ADVERTISED_ADDRESS");
        env.putAll(extra);
        java.io.PrintStream before = System.out;
        System.setOut(new java.io.PrintStream(new java.io.ByteArrayOutputStream()));
        try {
            org.steno.server.roles.StenoProcess p = new org.steno.server.roles.StenoProcess(org.steno.server.roles.Role.UP,
                    ConfigLoader.load(null, env), new org.steno.server.access.StenoPolicy());
            p.start();
            return p;
        } finally {
            System.setOut(before);
        }
    }
}
