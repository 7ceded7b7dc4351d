package org.steno.pipeline.transcript;

import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.pipeline.sink.S3Settings;
import org.steno.proto.transcript.v1.CoverageGap;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.proto.transcript.v1.TranscriptPart;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The transcript sink, keyed by meeting. Each part goes to S3 under its idempotent key
 * ({@code …/parts/<trackId>/<startMs>.json}: a replay rewrites the same object). When every
 * track of the meeting has closed at the meeting's end, the parts are read back from S3 (the
 * source of truth), with the coverage gaps ({@code …/gaps/<trackId>/<startMs>.json}: audio that
 * was never transcribed, which makes the transcript PARTIAL), and the final files are written: {@code transcript.vtt}, {@code .srt},
 * {@code .txt} (subtitle-service's renderers) and {@code transcript.json} (protobuf JSON
 * mapping), the JSON last. Emits the keys it wrote.
 */
public final class TranscriptWriter extends KeyedProcessFunction<String, TranscriptItem, String> {

    private static final Logger LOG = LoggerFactory.getLogger(TranscriptWriter.class);

    private final S3Settings s3;
    private transient S3Client client;
    private transient MapState<String, Boolean> closedTracks;
    private transient ValueState<Long> mediaEnd;

    public TranscriptWriter(S3Settings s3) {
        this.s3 = s3;
    }

    @Override
    public void open(OpenContext ctx) {
        client = s3.newClient();
        closedTracks = getRuntimeContext().getMapState(new MapStateDescriptor<>("closed-tracks", Types.STRING, Types.BOOLEAN));
        mediaEnd = getRuntimeContext().getState(new ValueStateDescriptor<>("media-end", Types.LONG));
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    public void processElement(TranscriptItem item, Context ctx, Collector<String> out) throws Exception {
        Long end = mediaEnd.value();
        mediaEnd.update(Math.max(end == null ? 0 : end, item.endMs()));
        if (item.kind() == TranscriptItem.Kind.PART) {
            TranscriptPart part = TranscriptPart.parseFrom(item.part());
            String key = TranscriptKeys.part(item.meetingId(), item.transcriptId(), item.trackId(), item.startMs());
            put(key, JsonFormat.printer().print(part), "application/json");
            out.collect(key);
            return;
        }
        if (item.kind() == TranscriptItem.Kind.GAP) {
            CoverageGap gap = CoverageGap.parseFrom(item.part());
            String key = TranscriptKeys.gap(item.meetingId(), item.transcriptId(), item.trackId(), item.startMs());
            put(key, JsonFormat.printer().print(gap), "application/json");
            LOG.warn("meeting {}: {} ms of track '{}' not transcribed from {} ms: {}", item.meetingId(),
                    item.endMs() - item.startMs(), item.trackId(), item.startMs(), gap.getReason());
            out.collect(key);
            return;
        }
        if (!item.meetingEnd()) {
            return; // a participant left; the meeting's transcript is written at its end
        }
        closedTracks.put(item.trackId(), true);
        for (String t : item.meetingTracks()) {
            if (!closedTracks.contains(t)) {
                return;
            }
        }
        out.collect(writeFinal(item));
        closedTracks.clear();
        mediaEnd.clear();
    }

    private String writeFinal(TranscriptItem item) throws Exception {
        String prefix = TranscriptKeys.partsPrefix(item.meetingId(), item.transcriptId());
        List<TranscriptPart> parts = new ArrayList<>();
        for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(s3.bucket()).prefix(prefix)).contents()) {
            String json = client.getObjectAsBytes(b -> b.bucket(s3.bucket()).key(o.key())).asUtf8String();
            TranscriptPart.Builder p = TranscriptPart.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(json, p);
            parts.add(p.build());
        }
        List<CoverageGap> gaps = new ArrayList<>();
        String gapsPrefix = TranscriptKeys.gapsPrefix(item.meetingId(), item.transcriptId());
        for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(s3.bucket()).prefix(gapsPrefix)).contents()) {
            CoverageGap.Builder g = CoverageGap.newBuilder();
            JsonFormat.parser().ignoringUnknownFields()
                    .merge(client.getObjectAsBytes(b -> b.bucket(s3.bucket()).key(o.key())).asUtf8String(), g);
            gaps.add(g.build());
        }
        Long end = mediaEnd.value();
        Transcript t = TranscriptBuilder.build(item.meetingId(), item.transcriptId(), item.meeting(),
                end == null ? 0 : end, parts, gaps, System.currentTimeMillis());
        // The renderings first, the JSON last: transcript.json appearing means the set is complete.
        String key = TranscriptFiles.store(client, s3.bucket(), t);
        LOG.info("meeting {}: transcript {} written ({} segments from {} parts, {}, {} coverage gaps)", item.meetingId(), key,
                t.getSegmentsCount(), parts.size(), t.getStatus(), gaps.size());
        return key;
    }

    private void put(String key, String body, String contentType) {
        TranscriptFiles.put(client, s3.bucket(), key, body, contentType);
    }
}
