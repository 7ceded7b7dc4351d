package org.steno.pipeline.sink;

import org.steno.access.ServiceToken;
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
    private final ServiceToken token;

    /**
     * @param target gRPC target of CaptionIngest, {@code host:port}
     * @param token  presented to CaptionIngest; null where it asks for none
     */
    public CaptionPublishSink(String target, ServiceToken token) {
        this.target = target;
        this.token = token;
    }

    @Override
    public SinkWriter<byte[]> createWriter(WriterInitContext context) {
        return new CaptionPublishWriter(target, token, context.getTaskInfo().getIndexOfThisSubtask());
    }
}
