package org.steno.access;

import java.util.Objects;

/**
 * What the action is done to.
 *
 * @param type kind of resource, e.g. {@code "meeting"}, {@code "recording"}, {@code "system"},
 *             {@code "grpc"} (a gRPC method), {@code "web"} (a static asset)
 * @param id   its identifier within the type ({@code ""} for "all of them")
 */
public record Resource(String type, String id) {

    public Resource {
        Objects.requireNonNull(type, "type");
        id = id == null ? "" : id;
    }

    public static Resource system(String what) {
        return new Resource("system", what);
    }

    public static Resource meeting(String meetingId) {
        return new Resource("meeting", meetingId);
    }

    @Override
    public String toString() {
        return id.isEmpty() ? type : type + ":" + id;
    }
}
