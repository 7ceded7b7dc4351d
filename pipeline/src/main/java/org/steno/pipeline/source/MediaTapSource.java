package org.steno.pipeline.source;

import org.steno.access.ServiceToken;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.steno.pipeline.speech.TrackEvent;

/**
 * FLIP-27 source of live meeting audio from MediaTap: one split per meeting with captions on
 * (discovered by the enumerator), read by a {@link MediaTapReader}; the split's checkpointed
 * state is the media time reached per track.
 */
public final class MediaTapSource implements Source<TrackEvent, MeetingSplit, DiscoveryState>, ResultTypeQueryable<TrackEvent> {

    private final MediaTapSettings settings;
    private final ServiceToken token;

    public MediaTapSource(MediaTapSettings settings) {
        this(settings, null);
    }

    /** @param token presented to MediaTap on every call; null where MediaTap asks for none (tests) */
    public MediaTapSource(MediaTapSettings settings, ServiceToken token) {
        this.settings = settings;
        this.token = token;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<TrackEvent, MeetingSplit> createReader(SourceReaderContext ctx) {
        return new MediaTapReader(ctx, settings, token);
    }

    @Override
    public SplitEnumerator<MeetingSplit, DiscoveryState> createEnumerator(SplitEnumeratorContext<MeetingSplit> ctx) {
        return new MediaTapEnumerator(ctx, settings, token, DiscoveryState.empty());
    }

    @Override
    public SplitEnumerator<MeetingSplit, DiscoveryState> restoreEnumerator(SplitEnumeratorContext<MeetingSplit> ctx,
                                                                          DiscoveryState state) {
        return new MediaTapEnumerator(ctx, settings, token, state);
    }

    @Override
    public SimpleVersionedSerializer<MeetingSplit> getSplitSerializer() {
        return new MeetingSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<DiscoveryState> getEnumeratorCheckpointSerializer() {
        return new DiscoveryStateSerializer();
    }

    @Override
    public TypeInformation<TrackEvent> getProducedType() {
        return TypeInformation.of(TrackEvent.class);
    }
}
