package org.steno.recorder;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.steno.recorder.store.S3ObjectStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * A recorder process for the crash test: records one speaker in real time into the S3 endpoint
 * on the given port until it is killed. Args: port, data dir, access key, secret.
 */
public final class RecordingChild {

    private RecordingChild() {
    }

    public static void main(String[] args) throws Exception {
        S3Client s3 = S3Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + args[0]))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(args[2], args[3])))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build();
        Recorder recorder = new Recorder(new S3ObjectStore(s3, TestS3.BUCKET), Path.of(args[1]),
                RecorderSettings.defaults().withSegmentMillis(1000).withMinFreeBytes(1 << 20)
                        .withMaxUploadBackoff(Duration.ofMillis(300)),
                RecordingTaps.none(), RecorderEvents.NONE);
        recorder.start();
        short[] speech = Speech.load48k("sense_and_sensibility_01_austen_64kb-0870.wav");
        List<byte[]> packets = Speech.encode(Speech.placed(speech, 0, 60_000));
        long t0 = 3_000_000;
        RecordingSession session = recorder.startDirect("crashing", t0);
        session.trackStarted("p", "Crash Test", "a", RecordingInput.Kind.AUDIO, RecordingInput.Source.MICROPHONE, "opus", 48000, t0);
        System.out.println("RECORDING " + session.recordingId());
        System.out.flush();
        long start = System.nanoTime();
        for (int i = 0; i < packets.size(); i++) {
            long due = start + 20_000_000L * i;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            session.packet("a", 5, i, 960L * i, true, packets.get(i), t0 + 20_000L * i);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
