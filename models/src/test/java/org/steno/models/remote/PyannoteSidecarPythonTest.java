package org.steno.models.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the pyannote sidecar's Python tests ({@code models/pyannote-server/tests}, stdlib unittest,
 * real gRPC over localhost) as part of {@code mvn verify}: a JUnit test rather than an exec plugin
 * so that it runs, is selected ({@code -Dtest}) and skipped ({@code -DskipTests}) like every other
 * test, and its failure and output land in the surefire report.
 */
class PyannoteSidecarPythonTest {

    @Test
    void pythonTestsPass(@TempDir Path stubs) throws Exception {
        List<String> result = PyannoteSidecar.runPythonTests(stubs);
        String output = result.get(1);
        System.out.println(output);
        assertThat(result.get(0)).as("exit code of python3 -m unittest; its output:\n%s", output).isEqualTo("0");
        assertThat(output).contains("OK").doesNotContain("skipped");
    }
}
