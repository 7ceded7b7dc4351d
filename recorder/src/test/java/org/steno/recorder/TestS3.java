package org.steno.recorder;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.steno.recorder.store.S3ObjectStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * A real S3 endpoint for tests: s3proxy over a directory, which can be stopped (an outage)
 * and started again on the same port with the same data.
 */
final class TestS3 implements AutoCloseable {

    static final String BUCKET = "steno-test";
    static final String ID = "test-access";
    static final String SECRET = "test-secret-key-0123456789";

    private final Path dir;
    private S3Proxy proxy;
    private int port;
    private S3Client client;

    TestS3(Path dir) throws Exception {
        this.dir = dir;
        start(0);
        client = S3Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ID, SECRET)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(1))
                        .socketTimeout(Duration.ofSeconds(5)).build())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(5)).retryStrategy(r -> r.maxAttempts(1)))
                .build();
        client.createBucket(b -> b.bucket(BUCKET));
    }

    void start(int onPort) throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", dir.toString());
        proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", props))
                .endpoint(URI.create("http://127.0.0.1:" + onPort))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ID, SECRET)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        port = proxy.getPort();
    }

    /** Simulates an outage: the endpoint refuses connections until {@link #restart()}. */
    void stop() throws Exception {
        proxy.stop();
    }

    void restart() throws Exception {
        start(port);
    }

    int port() {
        return port;
    }

    S3ObjectStore store() {
        return new S3ObjectStore(client, BUCKET);
    }

    /**
     * Puts an object a test starts from. The client makes one attempt (outage tests must fail fast), so a
     * kept-alive connection the proxy has just closed would fail the set-up itself: a few attempts here.
     */
    void seed(String key, byte[] bytes) throws java.io.IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                store().put(key, bytes);
                return;
            } catch (java.io.IOException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    S3Client client() {
        return client;
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
    }
}
