package org.steno.server.lifecycle;

/**
 * A part of a running Steno process (the embedded S3, the HTTP server, the SFU, …).
 * Started in order, stopped in reverse; {@link #readiness()} feeds {@code /readyz}.
 */
public interface Component {

    /** Short stable name, used in {@code /readyz}, metrics and logs. */
    String name();

    /**
     * Acquires ports, threads and files. Throws {@link StartupException} for problems the
     * user can fix (a port in use names its setting).
     */
    void start() throws Exception;

    /** Releases everything {@link #start()} acquired. Must not throw and must be idempotent. */
    void stop();

    Readiness readiness();
}
