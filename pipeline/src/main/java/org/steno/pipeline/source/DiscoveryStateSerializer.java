package org.steno.pipeline.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Binary form of {@link DiscoveryState} (version 1). */
public final class DiscoveryStateSerializer implements SimpleVersionedSerializer<DiscoveryState> {

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(DiscoveryState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        writeMap(s.assigned(), out);
        writeMap(s.finished(), out);
        out.writeInt(s.pending().size());
        for (MeetingSplit m : s.pending()) {
            MeetingSplitSerializer.write(m, out);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public DiscoveryState deserialize(int version, byte[] bytes) throws IOException {
        if (version != 1) {
            throw new IOException("unknown DiscoveryState version " + version);
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        Map<String, String> assigned = readMap(in);
        Map<String, String> finished = readMap(in);
        int n = in.readInt();
        List<MeetingSplit> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pending.add(MeetingSplitSerializer.read(in));
        }
        return new DiscoveryState(assigned, finished, pending);
    }

    private static void writeMap(Map<String, String> m, DataOutputSerializer out) throws IOException {
        out.writeInt(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static Map<String, String> readMap(DataInputDeserializer in) throws IOException {
        int n = in.readInt();
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(in.readUTF(), in.readUTF());
        }
        return m;
    }
}
