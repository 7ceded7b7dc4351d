package org.steno.pipeline.source;

import org.steno.access.ServiceToken;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.pipeline.speech.MeetingMeta;
import org.steno.proto.media.v1.ListMeetingsRequest;
import org.steno.proto.media.v1.ListMeetingsResponse;
import org.steno.proto.media.v1.MediaTapGrpc;
import org.steno.proto.media.v1.MeetingInfo;

/**
 * Discovers meetings with captions on by listing MediaTap every {@code pollIntervalMs} (the
 * same loop retries while MediaTap is not there yet) and hands each one, as a split, to a
 * reader chosen by the meeting id's hash. A meeting whose captions end is not picked up
 * again until its captions have been seen off, then a new transcript starts.
 */
final class MediaTapEnumerator implements SplitEnumerator<MeetingSplit, DiscoveryState> {

    private static final Logger LOG = LoggerFactory.getLogger(MediaTapEnumerator.class);

    private final SplitEnumeratorContext<MeetingSplit> context;
    private final MediaTapSettings settings;
    private final Map<String, String> assigned;
    private final Map<String, String> finished;
    private final Map<String, MeetingSplit> pending = new LinkedHashMap<>();
    private ManagedChannel channel;
    private int failures;

    private final ServiceToken token;

    MediaTapEnumerator(SplitEnumeratorContext<MeetingSplit> context, MediaTapSettings settings, ServiceToken token,
                       DiscoveryState state) {
        this.context = context;
        this.token = token;
        this.settings = settings;
        this.assigned = new LinkedHashMap<>(state.assigned());
        this.finished = new LinkedHashMap<>(state.finished());
        state.pending().forEach(s -> pending.put(s.meetingId(), s));
    }

    @Override
    public void start() {
        channel = ServiceToken.applyIfAny(token, NettyChannelBuilder.forTarget(settings.target()).usePlaintext()).build();
        context.callAsync(this::listMeetings, this::onMeetings, 0, settings.pollIntervalMs());
    }

    /** Runs on the coordinator's worker thread: a blocking call is fine here, with a deadline. */
    private List<MeetingInfo> listMeetings() {
        List<MeetingInfo> all = new ArrayList<>();
        String token = "";
        do {
            ListMeetingsResponse r = MediaTapGrpc.newBlockingStub(channel).withDeadlineAfter(3, TimeUnit.SECONDS)
                    .listMeetings(ListMeetingsRequest.newBuilder().setPageToken(token).build());
            all.addAll(r.getMeetingsList());
            token = r.getNextPageToken();
        } while (!token.isEmpty());
        return all;
    }

    private void onMeetings(List<MeetingInfo> meetings, Throwable error) {
        if (error != null) {
            // Logged on the first failure and then every minute or so: discovery keeps retrying.
            if (failures++ % Math.max(1, 60_000 / settings.pollIntervalMs()) == 0) {
                String why = error instanceof StatusRuntimeException sre ? sre.getStatus().toString() : error.toString();
                LOG.warn("MediaTap at {} is not reachable ({}); retrying every {} ms", settings.target(), why,
                        settings.pollIntervalMs());
            }
            return;
        }
        if (failures > 0) {
            LOG.info("MediaTap at {} reachable again", settings.target());
            failures = 0;
        }
        Set<String> captioned = new HashSet<>();
        for (MeetingInfo m : meetings) {
            if (m.getCaptionsEnabled()) {
                captioned.add(m.getMeetingId());
            }
        }
        // A meeting whose captions are off again (or which ended) may start a new transcript later.
        finished.keySet().removeIf(id -> !captioned.contains(id));
        for (MeetingInfo m : meetings) {
            String id = m.getMeetingId();
            if (!m.getCaptionsEnabled()) {
                continue;
            }
            // When the host turned captions on, not when we noticed (a job still starting notices
            // seconds later; the tap's ring holds what was said meanwhile). Stable for the life of
            // this transcript (kept in the checkpoint), unique per caption run.
            long captionsOn = Durations.toMillis(m.hasCaptionsSince() ? m.getCaptionsSince() : m.getMediaTime());
            String transcriptId = "live-" + captionsOn;
            if (m.hasCaptionsSince() && finished.containsKey(id) && !finished.get(id).equals(transcriptId)) {
                finished.remove(id); // captions went off and on again between two listings: a new run
            }
            if (assigned.containsKey(id) || finished.containsKey(id) || pending.containsKey(id)) {
                continue;
            }
            MeetingMeta meta = new MeetingMeta(m.getTitle(), Timestamps.toMillis(m.getStartTime()), m.getLanguage(),
                    m.getRecordingId());
            pending.put(id, new MeetingSplit(id, transcriptId, meta, Map.of(), captionsOn));
            LOG.info("captions on for meeting {}: transcript {}", id, transcriptId);
        }
        assignPending();
    }

    private void assignPending() {
        Set<Integer> readers = context.registeredReaders().keySet();
        if (readers.isEmpty()) {
            return;
        }
        for (Iterator<MeetingSplit> it = pending.values().iterator(); it.hasNext(); ) {
            MeetingSplit s = it.next();
            int owner = Math.floorMod(s.meetingId().hashCode(), context.currentParallelism());
            if (!readers.contains(owner)) {
                owner = readers.iterator().next();
            }
            context.assignSplit(s, owner);
            assigned.put(s.meetingId(), s.transcriptId());
            it.remove();
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed on discovery; readers never ask.
    }

    @Override
    public void addSplitsBack(List<MeetingSplit> splits, int subtaskId) {
        for (MeetingSplit s : splits) {
            assigned.remove(s.meetingId());
            pending.put(s.meetingId(), s);
        }
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending();
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (event instanceof SplitFinishedEvent f) {
            assigned.remove(f.meetingId());
            finished.put(f.meetingId(), f.transcriptId());
        }
    }

    @Override
    public DiscoveryState snapshotState(long checkpointId) {
        return new DiscoveryState(new LinkedHashMap<>(assigned), new LinkedHashMap<>(finished), new ArrayList<>(pending.values()));
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.shutdownNow();
        }
    }
}
