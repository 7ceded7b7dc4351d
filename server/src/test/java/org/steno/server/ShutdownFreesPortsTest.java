package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Access;
import org.steno.server.net.Ports;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import org.steno.server.storage.S3Target;

class ShutdownFreesPortsTest {

    @TempDir
    Path dataDir;

    @Test
    void everyPortIsFreeAfterShutdownAndTheSameStoreReopensWithTheSameKeys() throws Exception {
        StenoProcess steno = new StenoProcess(Role.UP, TestConfigs.ephemeral(dataDir), Access.allowAll());
        steno.start();
        int http = steno.httpPort();
        int grpc = steno.grpcPort();
        int media = steno.mediaPort();
        S3Target s3 = steno.storageTarget();
        int s3Port = s3.endpoint().getPort();
        assertThat(Ports.tcpFree("127.0.0.1", http)).isFalse();
        assertThat(Ports.tcpFree("127.0.0.1", grpc)).isFalse();
        assertThat(Ports.tcpFree("127.0.0.1", s3Port)).isFalse();
        assertThat(Ports.udpFree("127.0.0.1", media)).isFalse();

        long t0 = System.nanoTime();
        steno.close();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("shutdown ms").isLessThan(10_000);

        assertThat(Ports.tcpFree("127.0.0.1", http)).as("http port").isTrue();
        assertThat(Ports.tcpFree("127.0.0.1", grpc)).as("grpc port").isTrue();
        assertThat(Ports.tcpFree("127.0.0.1", s3Port)).as("s3 port").isTrue();
        assertThat(Ports.udpFree("127.0.0.1", media)).as("media port").isTrue();

        StenoProcess again = new StenoProcess(Role.UP, TestConfigs.ephemeral(dataDir), Access.allowAll());
        try {
            again.start();
            assertThat(again.storageTarget().accessKey()).isEqualTo(s3.accessKey());
            assertThat(again.storageTarget().secretKey()).isEqualTo(s3.secretKey());
        } finally {
            again.close();
        }
    }
}
