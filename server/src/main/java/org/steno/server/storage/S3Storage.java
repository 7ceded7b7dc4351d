package org.steno.server.storage;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 client every module uses, pointed at the configured store (embedded or external).
 * It makes sure the bucket exists; readiness is a live {@code HeadBucket}.
 */
public final class S3Storage implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(S3Storage.class);

    private final Supplier<S3Target> targetSupplier;
    private volatile S3Client client;
    private volatile S3Target target;
    private volatile boolean bucketReady;

    /** The supplier is read at start, so it may depend on a component started earlier. */
    public S3Storage(Supplier<S3Target> targetSupplier) {
        this.targetSupplier = targetSupplier;
    }

    @Override
    public String name() {
        return "s3";
    }

    /**
     * Builds the client and makes sure the bucket exists. An unreachable store does not stop
     * the process: it reports not ready, and each readiness check tries again, so a store that
     * comes up later (or returns after an outage) is picked up without a restart.
     */
    @Override
    public void start() {
        S3Target t = targetSupplier.get();
        S3Client c = newClient(t);
        target = t;
        client = c;
        try {
            ensureBucket(c, t.bucket());
            bucketReady = true;
        } catch (SdkException e) {
            LOG.warn("S3 at {} is not reachable yet ({}); will retry", t.endpoint(), e.getMessage());
        }
    }

    public static S3Client newClient(S3Target t) {
        return S3Client.builder()
                .endpointOverride(t.endpoint())
                .region(Region.of(t.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(t.accessKey(), t.secretKey())))
                // Path-style works on every S3-compatible store; virtual hosts need DNS we don't control.
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60)))
                .build();
    }

    private static void ensureBucket(S3Client c, String bucket) {
        try {
            c.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            c.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            c.createBucket(b -> b.bucket(bucket));
        }
    }

    public S3Client client() {
        S3Client c = client;
        if (c == null) {
            throw new IllegalStateException("storage is not started");
        }
        return c;
    }

    public S3Target target() {
        return target;
    }

    @Override
    public void stop() {
        S3Client c = client;
        client = null;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public Readiness readiness() {
        S3Client c = client;
        S3Target t = target;
        if (c == null || t == null) {
            return Readiness.notReady("not started");
        }
        try {
            if (!bucketReady) {
                ensureBucket(c, t.bucket());
                bucketReady = true;
            }
            // A probe must answer quickly: /readyz is polled, and a dead store should not hang it.
            c.headBucket(b -> b.bucket(t.bucket()).overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(3))));
            return Readiness.ready("bucket " + t.bucket() + " at " + t.endpoint());
        } catch (SdkException e) {
            return Readiness.notReady("bucket " + t.bucket() + " at " + t.endpoint() + " unreachable: " + e.getMessage());
        }
    }
}
