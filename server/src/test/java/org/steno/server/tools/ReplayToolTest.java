package org.steno.server.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code steno replay}'s arguments and files: every mistake is exit 2 with one sentence, before any connection. */
class ReplayToolTest {

    static final String WAV = "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0880.wav";

    @TempDir
    Path dir;

    record Run(int exit, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ReplayTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badArgumentsAreRefusedWithOneSentence() throws Exception {
        assertThat(run("--speaker", "Alice=" + WAV)).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--meeting is required");
        });
        assertThat(run("--meeting", "abc-defg-hij")).satisfies(r -> assertThat(r.err()).contains("at least one --speaker or --room"));
        assertThat(run("--meeting", "abc-defg-hij", "--room", "Boardroom")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--room takes \"Name=file.wav\"");
        });
        assertThat(run("--meeting", "abc-defg-hij", "--speaker", "A=" + WAV, "--room", "A=" + WAV))
                .satisfies(r -> assertThat(r.err()).contains("speaker 'A' is given twice"));
        assertThat(run("--meeting", "abc-defg-hij", "--room", "Room=" + dir.resolve("none.wav")))
                .satisfies(r -> assertThat(r.err()).contains("cannot use").contains("no such file"));
        Path garbage = Files.write(dir.resolve("garbage.wav"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThat(run("--meeting", "abc-defg-hij", "--room", "Room=" + garbage)).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("cannot use " + garbage);
        });
        assertThat(run("--meeting", "abc-defg-hij", "--speaker", "A=" + WAV, "--server", "nowhere"))
                .satisfies(r -> assertThat(r.err()).contains("--server takes host:port"));
    }

    @Test
    void aRoomFileIsReadAsASharedMicrophone() throws Exception {
        assertThat(ReplayTool.read("Boardroom", WAV, true).room()).isTrue();
        assertThat(ReplayTool.read("Alice", WAV, false).room()).isFalse();
        assertThat(ReplayTool.read("Alice", WAV, false).seconds()).isBetween(2.9, 3.1);
    }
}
