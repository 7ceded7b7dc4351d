package org.steno.pipeline.source;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.steno.pipeline.speech.MeetingMeta;

/** Binary form of a {@link MeetingSplit} in checkpoints (version 1). */
public final class MeetingSplitSerializer implements SimpleVersionedSerializer<MeetingSplit> {

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(MeetingSplit s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        write(s, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public MeetingSplit deserialize(int version, byte[] bytes) throws IOException {
        if (version != 1) {
            throw new IOException("unknown MeetingSplit version " + version);
        }
        return read(new DataInputDeserializer(bytes));
    }

    static void write(MeetingSplit s, DataOutputView out) throws IOException {
        out.writeUTF(s.meetingId());
        out.writeUTF(s.transcriptId());
        MeetingMeta m = s.meta();
        out.writeUTF(m.title());
        out.writeLong(m.startEpochMs());
        out.writeUTF(m.language());
        out.writeUTF(m.recordingId());
        out.writeLong(s.captionsOnMs());
        Map<String, TrackProgress> tracks = s.tracks();
        out.writeInt(tracks.size());
        for (Map.Entry<String, TrackProgress> e : tracks.entrySet()) {
            TrackProgress p = e.getValue();
            out.writeUTF(e.getKey());
            out.writeLong(p.reachedMs());
            out.writeUTF(p.participantId());
            out.writeUTF(p.identity());
            out.writeUTF(p.displayName());
            out.writeBoolean(p.closed());
        }
    }

    static MeetingSplit read(DataInputView in) throws IOException {
        String meetingId = in.readUTF();
        String transcriptId = in.readUTF();
        MeetingMeta meta = new MeetingMeta(in.readUTF(), in.readLong(), in.readUTF(), in.readUTF());
        long captionsOn = in.readLong();
        int n = in.readInt();
        Map<String, TrackProgress> tracks = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String id = in.readUTF();
            tracks.put(id, new TrackProgress(in.readLong(), in.readUTF(), in.readUTF(), in.readUTF(), in.readBoolean()));
        }
        return new MeetingSplit(meetingId, transcriptId, meta, tracks, captionsOn);
    }
}
