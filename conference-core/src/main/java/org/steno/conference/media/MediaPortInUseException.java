package org.steno.conference.media;

import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * {@link MediaServer#start} could not bind the media port on one local address (a wildcard bind is a socket per
 * address); says which, so the operator can find what holds it.
 */
public final class MediaPortInUseException extends BindException {

    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress address;

    public MediaPortInUseException(InetSocketAddress address, Throwable cause) {
        super("udp port " + address.getPort() + " is already in use on " + address.getAddress().getHostAddress());
        this.address = address;
        initCause(cause);
    }

    /** The address and port that could not be bound. */
    public InetSocketAddress address() {
        return address;
    }
}
