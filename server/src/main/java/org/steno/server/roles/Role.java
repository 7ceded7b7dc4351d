package org.steno.server.roles;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a Steno process runs: everything ({@link #UP}) or one part of a distributed deployment. */
public enum Role {
    UP("everything in one JVM: the embedded default"),
    SERVER("REST API, authentication, web app, embedded S3 when no external one is set"),
    SFU("the media plane: WebRTC on the UDP media port, MediaTap gRPC"),
    RECORDER("recording sessions written to S3"),
    MODELS("speech models behind Transcriber and Diarizer gRPC"),
    SUBTITLES("caption ingest, caption WebSockets and transcript rendering"),
    PIPELINE("the Flink speech pipeline (MiniCluster) reading MediaTap");

    private final String summary;

    Role(String summary) {
        this.summary = summary;
    }

    public String summary() {
        return summary;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.cliName().equals(s)) {
                return r;
            }
        }
        return null;
    }

    public static String names() {
        return Arrays.stream(values()).map(Role::cliName).collect(Collectors.joining("|"));
    }

    boolean runs(Role part) {
        return this == UP || this == part;
    }
}
