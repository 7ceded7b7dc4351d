package org.steno.pipeline.testing;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.steno.pipeline.sink.S3Settings;

/** Real servers on loopback for tests: gRPC over netty and an s3proxy store. */
public final class TestServers {

    private TestServers() {
    }

    public static Server grpc(int port, BindableService... services) throws IOException {
        return grpc("test-grpc", port, services);
    }

    /**
     * A server whose I/O and callback threads are its own and named {@code <pool>-io-n} and
     * {@code <pool>-exec-n}, not gRPC's shared defaults: the pipeline's client channels keep
     * the {@code grpc-default-*} threads, so per-thread CPU tells the test doubles' cost from
     * the pipeline's. Pools are made once per name and shared by that name's servers (daemon
     * threads; a server restarted on the same port reuses them).
     */
    public static Server grpc(String pool, int port, BindableService... services) throws IOException {
        Pool p = POOLS.computeIfAbsent(pool, Pool::new);
        // A server restarted on the port of one just stopped (a "model server restart") may
        // find the old listening socket not yet released: try again for a few seconds.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .bossEventLoopGroup(p.boss).workerEventLoopGroup(p.workers)
                    .channelType(NioServerSocketChannel.class).executor(p.executor);
            for (BindableService s : services) {
                b.addService(s);
            }
            try {
                return b.build().start();
            } catch (IOException e) {
                if (port == 0 || System.nanoTime() > deadline || !(e.getCause() instanceof java.net.BindException)) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static final Map<String, Pool> POOLS = new ConcurrentHashMap<>();

    /** Named threads of the servers of one pool name. */
    private static final class Pool {
        final EventLoopGroup boss;
        final EventLoopGroup workers;
        final ExecutorService executor;

        Pool(String name) {
            boss = new NioEventLoopGroup(1, daemons(name + "-boss"));
            workers = new NioEventLoopGroup(0, daemons(name + "-io"));
            executor = Executors.newCachedThreadPool(daemons(name + "-exec"));
        }

        private static ThreadFactory daemons(String prefix) {
            AtomicInteger n = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }
    }

    public static void stop(Server s) throws InterruptedException {
        if (s != null) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** A started s3proxy on a free port storing under {@code dir}, and settings for it (bucket created). */
    public record S3(S3Proxy proxy, S3Settings settings) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            proxy.stop();
        }
    }

    public static S3 s3(Path dir) throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", dir.toString());
        S3Proxy p = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", props))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test-access", "test-secret")
                .build();
        p.start();
        while (!"STARTED".equals(p.getState())) {
            Thread.sleep(10);
        }
        S3Settings s = new S3Settings("http://127.0.0.1:" + p.getPort(), "us-east-1", "test-access", "test-secret", "steno");
        try (var c = s.newClient()) {
            c.createBucket(b -> b.bucket("steno"));
        }
        return new S3(p, s);
    }
}
