package org.steno.pipeline.source;

import org.apache.flink.api.connector.source.SourceEvent;

/** Reader → enumerator: the meeting ended or its captions were turned off; its split is done. */
public record SplitFinishedEvent(String meetingId, String transcriptId) implements SourceEvent {
}
