package org.steno.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobArgumentsTest {

    static final String[] GOOD = {"--mediatap", "sfu:9090", "--transcriber", "models:9090", "--captions", "subs:9090",
        "--s3-endpoint", "http://minio:9000", "--bucket", "steno", "--s3-access-key", "k", "--s3-secret-key", "s",
        "--parallelism", "4", "--checkpoint-dir", "file:///var/flink/cp"};

    @Test
    void parsesTheClusterArguments() {
        PipelineOptions o = SpeechPipelineJob.parse(GOOD);
        assertThat(o.mediaTap().target()).isEqualTo("sfu:9090");
        assertThat(o.recognizer().target()).isEqualTo("models:9090");
        assertThat(o.captionsTarget()).isEqualTo("subs:9090");
        assertThat(o.s3().endpoint()).isEqualTo("http://minio:9000");
        assertThat(o.s3().toString()).doesNotContain("s3-secret").doesNotContain("secretKey");
        assertThat(o.parallelism()).isEqualTo(4);
        assertThat(o.checkpointDir()).isEqualTo("file:///var/flink/cp");
        assertThat(SpeechPipelineJob.flinkConfig(o).toMap())
                .containsEntry("execution.buffer-timeout.interval", "1 ms")
                .containsEntry("execution.checkpointing.dir", "file:///var/flink/cp")
                .containsEntry("pipeline.generic-types", "false")
                .containsEntry("pipeline.object-reuse", "true");
    }

    @Test
    void theServiceTokenComesFromAFileNeverFromAnArgument(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("service-token");
        java.nio.file.Files.writeString(file, "0123456789abcdef0123456789abcdef\n");
        String[] withToken = java.util.Arrays.copyOf(GOOD, GOOD.length + 2);
        withToken[GOOD.length] = "--service-token-file";
        withToken[GOOD.length + 1] = file.toString();
        PipelineOptions o = SpeechPipelineJob.parse(withToken);
        assertThat(o.serviceToken().matches("Bearer 0123456789abcdef0123456789abcdef")).isTrue();
        assertThat(o.toString()).doesNotContain("0123456789abcdef0123456789abcdef");
        withToken[GOOD.length + 1] = dir.resolve("missing").toString();
        assertThatThrownBy(() -> SpeechPipelineJob.parse(withToken)).hasMessageStartingWith("--service-token-file: cannot read ");
    }

    @Test
    void badArgumentsSayWhatIsWrongInOneSentence() {
        String[] badTarget = GOOD.clone();
        badTarget[1] = "sfu";
        assertThatThrownBy(() -> SpeechPipelineJob.parse(badTarget))
                .hasMessage("--mediatap must be host:port, got 'sfu'");
        String[] noBucket = java.util.Arrays.copyOf(GOOD, 8);
        assertThatThrownBy(() -> SpeechPipelineJob.parse(noBucket)).hasMessage("--bucket is required");
        String[] badParallelism = GOOD.clone();
        badParallelism[15] = "zero";
        assertThatThrownBy(() -> SpeechPipelineJob.parse(badParallelism))
                .hasMessage("--parallelism must be a positive number, got 'zero'");
        assertThatThrownBy(() -> SpeechPipelineJob.parse(new String[] {"--mediatap"}))
                .hasMessageContaining("expected --name value pairs");
    }
}
