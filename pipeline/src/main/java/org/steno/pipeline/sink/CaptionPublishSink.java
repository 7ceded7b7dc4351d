package org.steno.pipeline.sink;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Sends captions (serialized {@code CaptionEvent}s) to {@code CaptionIngest.Publish}. Publishing
 * is idempotent on the subtitle service's side, so at-least-once delivery after a restore is
 * enough.
 */
public final class CaptionPublishSink implements Sink<byte[]> {

    private final String target;

    /** @param target gRPC target of CaptionIngest, {@code host:port} */
    public CaptionPublishSink(String target) {
        this.target = target;
    }

    @Override
    public SinkWriter<byte[]> createWriter(WriterInitContext context) {
        return new CaptionPublishWriter(target, context.getTaskInfo().getIndexOfThisSubtask());
    }
}
