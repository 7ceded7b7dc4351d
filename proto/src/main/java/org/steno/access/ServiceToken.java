package org.steno.access;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The credential one Steno role presents to another's internal gRPC services (MediaTap,
 * MediaIngest, CaptionIngest, Transcriber, Diarizer): a bearer secret in the
 * {@code authorization} header of every call. It is serializable because the Flink job
 * carries it to its TaskManagers; {@link #toString()} never shows it.
 */
public final class ServiceToken implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final Metadata.Key<String> HEADER = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    private final String value;

    private ServiceToken(String value) {
        this.value = value;
    }

    public static ServiceToken of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a service token is printable ASCII without spaces");
        }
        return new ServiceToken(value);
    }

    /** Sends this token on every call of channels built by {@code builder}. */
    public <T extends ManagedChannelBuilder<T>> T applyTo(T builder) {
        return builder.intercept(clientInterceptor());
    }

    public ClientInterceptor clientInterceptor() {
        Metadata md = new Metadata();
        md.put(HEADER, BEARER + value);
        return MetadataUtils.newAttachHeadersInterceptor(md);
    }

    /** Whether an {@code authorization} header value carries this token; constant time in its content. */
    public boolean matches(String header) {
        if (header == null || !header.startsWith(BEARER)) {
            return false;
        }
        byte[] presented = header.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Applies {@code token} to {@code builder} when there is one (tests and stand-alone model servers run without). */
    public static <T extends ManagedChannelBuilder<T>> T applyIfAny(ServiceToken token, T builder) {
        return token == null ? builder : token.applyTo(builder);
    }

    @Override
    public String toString() {
        return "ServiceToken[redacted]";
    }
}
