package org.steno.models.transcriber;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Media files made with Debian's ffmpeg for tests. */
public final class MediaFixtures {

    private MediaFixtures() {
    }

    public static Path ffmpeg(Path out, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-y"));
        cmd.addAll(List.of(args));
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ffmpeg failed: " + log);
        }
        return out;
    }

    /** Two seconds of test-pattern video with no audio track (WebM/VP8). */
    public static Path videoWithoutAudio(Path dir) throws Exception {
        return ffmpeg(dir.resolve("silent-video.webm"), "-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=10",
                "-c:v", "libvpx", "-an");
    }
}
