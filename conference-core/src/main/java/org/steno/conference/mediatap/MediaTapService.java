package org.steno.conference.mediatap;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.tap.MediaTaps;
import org.steno.conference.tap.MeetingTap;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.media.v1.ListMeetingsRequest;
import org.steno.proto.media.v1.ListMeetingsResponse;
import org.steno.proto.media.v1.MediaEvent;
import org.steno.proto.media.v1.MediaTapGrpc;
import org.steno.proto.media.v1.MeetingEvent;
import org.steno.proto.media.v1.SubscribeRequest;
import org.steno.proto.media.v1.WatchMeetingsRequest;

/**
 * The MediaTap gRPC service (steno/media/v1/media_tap.proto): lists and watches this node's
 * meetings and streams their decoded audio from the in-process taps. Every stream respects
 * gRPC flow control through a bounded per-client buffer; nothing grows without limit.
 */
public final class MediaTapService extends MediaTapGrpc.MediaTapImplBase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaTapService.class);
    private static final int DEFAULT_PAGE = 1000;
    private static final int MAX_NAME = 200;

    private final MeetingRegistry registry;
    private final MediaTaps taps;
    private final Settings settings;
    private final ExecutorService sender;
    private final AtomicInteger subscribers = new AtomicInteger();

    /**
     * @param maxQueuedFrames per-subscriber send buffer in frames (200 ≈ 2 s of two speakers)
     * @param maxQueuedEvents per-subscriber bound on queued non-audio events
     * @param maxSubscribers  Subscribe and WatchMeetings streams open at once on this node
     * @param stallTimeout    a subscriber with something to send that has taken nothing for this
     *                        long is cancelled (RESOURCE_EXHAUSTED), so it pins no memory
     */
    public record Settings(int maxQueuedFrames, int maxQueuedEvents, int maxSubscribers, Duration stallTimeout) {
        public Settings(int maxQueuedFrames, int maxQueuedEvents, int maxSubscribers) {
            this(maxQueuedFrames, maxQueuedEvents, maxSubscribers, Duration.ofSeconds(60));
        }

        public static Settings defaults() {
            return new Settings(200, 10_000, 256);
        }
    }

    public MediaTapService(MeetingRegistry registry, MediaTaps taps, Settings settings) {
        this.registry = registry;
        this.taps = taps;
        this.settings = settings;
        this.sender = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "media-tap-send");
            t.setDaemon(true);
            return t;
        });
    }

    public MediaTapService(MeetingRegistry registry, MediaTaps taps) {
        this(registry, taps, Settings.defaults());
    }

    @Override
    public void listMeetings(ListMeetingsRequest request, StreamObserver<ListMeetingsResponse> response) {
        int size = request.getPageSize() == 0 ? DEFAULT_PAGE : request.getPageSize();
        if (size < 0 || size > DEFAULT_PAGE) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("page_size must be 1–1000 (0 means 1000), got "
                    + Integer.toUnsignedString(request.getPageSize())).asRuntimeException());
            return;
        }
        PageKey after;
        try {
            after = request.getPageToken().isEmpty() ? null : PageKey.decode(request.getPageToken());
        } catch (IllegalArgumentException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("page_token is not one this server issued; "
                    + "pass next_page_token from the previous response or an empty token").asRuntimeException());
            return;
        }
        List<Meeting> all = registry.list();
        ListMeetingsResponse.Builder b = ListMeetingsResponse.newBuilder();
        Meeting last = null;
        boolean more = false;
        for (Meeting m : all) {
            if (after != null && !after.before(m)) {
                continue;
            }
            if (b.getMeetingsCount() == size) {
                more = true;
                break;
            }
            b.addMeetings(TapProtos.meetingInfo(m));
            last = m;
        }
        if (more && last != null) {
            b.setNextPageToken(PageKey.of(last).encode());
        }
        response.onNext(b.build());
        response.onCompleted();
    }

    @Override
    public void watchMeetings(WatchMeetingsRequest request, StreamObserver<MeetingEvent> response) {
        if (request.getWatcherName().length() > MAX_NAME) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("watcher_name has " + request.getWatcherName().length()
                    + " characters; at most 200 are allowed").asRuntimeException());
            return;
        }
        if (!reserveSlot(response)) {
            return;
        }
        new MeetingWatch(registry, (ServerCallStreamObserver<MeetingEvent>) response, sender,
                settings.maxQueuedEvents(), subscribers::decrementAndGet).start();
    }

    @Override
    public void subscribe(SubscribeRequest request, StreamObserver<MediaEvent> response) {
        TrackFilter filter;
        try {
            filter = validate(request);
        } catch (IllegalArgumentException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        MeetingTap tap = taps.tap(request.getMeetingId()).orElse(null);
        if (tap == null || tap.meeting().ended()) {
            response.onError(Status.NOT_FOUND.withDescription("meeting '" + request.getMeetingId()
                    + "' is not active on this node; ListMeetings shows the active ones").asRuntimeException());
            return;
        }
        if (!reserveSlot(response)) {
            return;
        }
        ServerCallStreamObserver<MediaEvent> out = (ServerCallStreamObserver<MediaEvent>) response;
        SubscriberStream[] self = new SubscriberStream[1];
        AtomicInteger closedOnce = new AtomicInteger();
        Runnable onClose = () -> {
            if (closedOnce.getAndIncrement() == 0) {
                tap.unsubscribe(self[0]);
                subscribers.decrementAndGet();
            }
        };
        String name = request.getSubscriberName().isEmpty() ? "unnamed" : request.getSubscriberName();
        self[0] = new SubscriberStream(tap, out, filter, sender, settings.maxQueuedFrames(), settings.maxQueuedEvents(),
                settings.stallTimeout(), name, onClose);
        Duration resume = request.hasResumeFrom() ? TapProtos.duration(request.getResumeFrom()) : null;
        tap.subscribe(self[0], resume);
        LOG.debug("subscriber {} on meeting {} (resume_from {})", name, tap.meetingId(), resume);
    }

    private TrackFilter validate(SubscribeRequest r) {
        if (r.getMeetingId().isEmpty()) {
            throw new IllegalArgumentException("meeting_id is required");
        }
        if (r.getSubscriberName().length() > MAX_NAME) {
            throw new IllegalArgumentException("subscriber_name has " + r.getSubscriberName().length()
                    + " characters; at most 200 are allowed");
        }
        if (r.hasAudioFormat()) {
            AudioFormat f = r.getAudioFormat();
            boolean ok = (f.getEncoding() == AudioEncoding.AUDIO_ENCODING_LINEAR16 || f.getEncoding() == AudioEncoding.AUDIO_ENCODING_UNSPECIFIED)
                    && (f.getSampleRateHz() == 16_000 || f.getSampleRateHz() == 0)
                    && (f.getChannels() == 1 || f.getChannels() == 0);
            if (!ok) {
                throw new IllegalArgumentException("only LINEAR16 16000 Hz mono is supported; leave audio_format unset");
            }
        }
        if (r.hasResumeFrom() && (r.getResumeFrom().getSeconds() < 0 || r.getResumeFrom().getNanos() < 0)) {
            throw new IllegalArgumentException("resume_from must not be negative");
        }
        return TrackFilter.of(r.getTracks());
    }

    private boolean reserveSlot(StreamObserver<?> response) {
        if (subscribers.incrementAndGet() > settings.maxSubscribers()) {
            subscribers.decrementAndGet();
            response.onError(Status.RESOURCE_EXHAUSTED.withDescription("this node already serves "
                    + settings.maxSubscribers() + " MediaTap streams; retry with backoff").asRuntimeException());
            return false;
        }
        return true;
    }

    /** Open Subscribe and WatchMeetings streams. */
    public int openStreams() {
        return subscribers.get();
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }

    /** Position in the (start time, id) order of ListMeetings, carried in page tokens. */
    private record PageKey(long epochNanos, String id) {
        static PageKey of(Meeting m) {
            return new PageKey(m.createdAt().getEpochSecond() * 1_000_000_000L + m.createdAt().getNano(), m.id());
        }

        boolean before(Meeting m) {
            PageKey k = of(m);
            return epochNanos < k.epochNanos || (epochNanos == k.epochNanos && id.compareTo(k.id) < 0);
        }

        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((epochNanos + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        static PageKey decode(String token) {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int bar = s.indexOf('|');
            if (bar < 1) {
                throw new IllegalArgumentException("bad token");
            }
            try {
                return new PageKey(Long.parseLong(s.substring(0, bar)), s.substring(bar + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad token", e);
            }
        }
    }

}
