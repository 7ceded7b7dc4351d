package org.steno.archive.bucket;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** A real S3 store for tests: s3proxy on a free loopback port over a directory, bucket "steno". */
final class TestBucket implements AutoCloseable {

    final S3Proxy proxy;
    final S3Client client;

    TestBucket(Path dir) throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", dir.toString());
        proxy = S3Proxy.builder().blobStore(BlobStores.create("filesystem", props))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test-access", "test-secret").build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        client = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + proxy.getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-access", "test-secret")))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
        client.createBucket(b -> b.bucket("steno"));
    }

    TranscriptBucket transcripts() {
        return new TranscriptBucket(() -> client, () -> "steno");
    }

    void put(String key, String body) {
        client.putObject(b -> b.bucket("steno").key(key), RequestBody.fromString(body));
    }

    void delete(String key) {
        client.deleteObject(b -> b.bucket("steno").key(key));
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
    }
}
