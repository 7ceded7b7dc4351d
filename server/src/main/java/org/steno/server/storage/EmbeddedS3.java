package org.steno.server.storage;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.steno.server.config.Setting;
import org.steno.server.config.StenoConfig;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;
import org.steno.server.lifecycle.StartupException;
import org.steno.server.net.Ports;

/**
 * The embedded default's S3 store: s3proxy over a filesystem directory. It speaks the real
 * S3 API, so the rest of Steno talks to it exactly as it would to MinIO or AWS.
 */
public final class EmbeddedS3 implements Component {

    private final StenoConfig config;
    private volatile S3Proxy proxy;
    private volatile S3Target target;

    public EmbeddedS3(StenoConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "s3-embedded";
    }

    @Override
    public void start() throws Exception {
        Path base = config.dataDir().resolve("s3");
        Files.createDirectories(base);
        S3Credentials creds = config.s3AccessKey().isEmpty()
                ? S3Credentials.loadOrCreate(config.dataDir())
                : new S3Credentials(config.s3AccessKey(), config.s3SecretKey());

        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", base.toString());
        String host = config.s3Host();
        S3Proxy p = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", props))
                .endpoint(URI.create("http://" + host + ":" + config.s3Port()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, creds.accessKey(), creds.secretKey())
                .build();
        try {
            p.start();
        } catch (Exception e) {
            stopQuietly(p);
            if (Ports.isBindFailure(e)) {
                throw StartupException.portInUse(Setting.S3_PORT, host, config.s3Port(), e);
            }
            throw e;
        }
        proxy = p;
        String clientHost = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
        target = new S3Target(URI.create("http://" + clientHost + ":" + p.getPort()), config.s3Region(),
                creds.accessKey(), creds.secretKey(), config.s3Bucket());
    }

    /** Where clients reach this store; only valid after {@link #start()}. */
    public S3Target target() {
        S3Target t = target;
        if (t == null) {
            throw new IllegalStateException("embedded S3 is not started");
        }
        return t;
    }

    @Override
    public void stop() {
        S3Proxy p = proxy;
        proxy = null;
        if (p != null) {
            stopQuietly(p);
        }
    }

    private static void stopQuietly(S3Proxy p) {
        try {
            p.stop();
        } catch (Exception ignored) {
            // Stopping a half-started proxy can fail; its port is released either way.
        }
    }

    @Override
    public Readiness readiness() {
        S3Proxy p = proxy;
        if (p == null) {
            return Readiness.notReady("not started");
        }
        String state = p.getState();
        return "STARTED".equals(state)
                ? Readiness.ready("s3proxy serving " + config.dataDir().resolve("s3") + " on port " + p.getPort())
                : Readiness.notReady("s3proxy state " + state);
    }
}
