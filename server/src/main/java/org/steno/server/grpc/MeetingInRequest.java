package org.steno.server.grpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meeting a gRPC request is about: its {@code meeting_id} field, at the top or inside the
 * message's first levels (a stream's opening message often carries it in a submessage, e.g.
 * MediaIngest's config). Our contracts name the field the same everywhere, so one rule serves
 * every service.
 *
 * <p>Streams carry audio at tens of messages a second per track, so where the field can be is
 * worked out once per message type; an audio chunk (no such path set) costs a few field checks.
 */
final class MeetingInRequest {

    static final String FIELD = "meeting_id";
    private static final int MAX_DEPTH = 3;
    /** Per message type: the field paths that end at a {@code meeting_id} string. */
    private static final Map<Descriptor, List<FieldDescriptor[]>> PATHS = new ConcurrentHashMap<>();

    private MeetingInRequest() {
    }

    static Optional<String> of(Object request) {
        if (!(request instanceof Message m)) {
            return Optional.empty();
        }
        for (FieldDescriptor[] path : PATHS.computeIfAbsent(m.getDescriptorForType(), MeetingInRequest::paths)) {
            Message at = m;
            boolean present = true;
            for (int i = 0; i < path.length - 1 && present; i++) {
                present = at.hasField(path[i]);
                if (present) {
                    at = (Message) at.getField(path[i]);
                }
            }
            if (present) {
                String id = (String) at.getField(path[path.length - 1]);
                if (!id.isEmpty()) {
                    return Optional.of(id);
                }
            }
        }
        return Optional.empty();
    }

    private static List<FieldDescriptor[]> paths(Descriptor type) {
        List<FieldDescriptor[]> out = new ArrayList<>();
        collect(type, new ArrayList<>(), out);
        return List.copyOf(out);
    }

    private static void collect(Descriptor type, List<FieldDescriptor> prefix, List<FieldDescriptor[]> out) {
        FieldDescriptor direct = type.findFieldByName(FIELD);
        if (direct != null && direct.getJavaType() == FieldDescriptor.JavaType.STRING && !direct.isRepeated()) {
            List<FieldDescriptor> p = new ArrayList<>(prefix);
            p.add(direct);
            out.add(p.toArray(FieldDescriptor[]::new));
        }
        if (prefix.size() >= MAX_DEPTH) {
            return;
        }
        for (FieldDescriptor f : type.getFields()) {
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated() && !prefix.contains(f)) {
                prefix.add(f);
                collect(f.getMessageType(), prefix, out);
                prefix.remove(prefix.size() - 1);
            }
        }
    }
}
