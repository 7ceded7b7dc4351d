package org.steno.server.grpc;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Map;
import java.util.Optional;

/**
 * The meeting a gRPC request is about: its {@code meeting_id} field, at the top or inside the
 * message's first levels (a stream's opening message often carries it in a submessage, e.g.
 * MediaIngest's start). Our contracts name the field the same everywhere, so one rule serves
 * every service.
 */
final class MeetingInRequest {

    static final String FIELD = "meeting_id";
    private static final int MAX_DEPTH = 3;

    private MeetingInRequest() {
    }

    static Optional<String> of(Object request) {
        return request instanceof Message m ? find(m, 0) : Optional.empty();
    }

    private static Optional<String> find(Message m, int depth) {
        FieldDescriptor direct = m.getDescriptorForType().findFieldByName(FIELD);
        if (direct != null && direct.getJavaType() == FieldDescriptor.JavaType.STRING && !direct.isRepeated()) {
            String id = (String) m.getField(direct);
            if (!id.isEmpty()) {
                return Optional.of(id);
            }
        }
        if (depth >= MAX_DEPTH) {
            return Optional.empty();
        }
        for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
            if (f.getKey().getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.getKey().isRepeated()) {
                Optional<String> inner = find((Message) f.getValue(), depth + 1);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }
}
