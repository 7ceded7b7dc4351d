package org.steno.archive.retention;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.proto.transcript.v1.Transcript;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One pass of retention over the bucket: every recording ({@code recordings/<id>/}, dated by its
 * manifest's {@code startedAt}) and transcript ({@code transcripts/<id>/}, dated by its
 * {@code transcript.json}'s {@code create_time}) past its meeting's period is deleted, every object under
 * it, unless its meeting is under legal hold; both outcomes are reported, so each can be
 * audited. What has no manifest or transcript.json yet is work in progress and is left alone.
 * The search index drops a deleted transcript at its next sync with the bucket.
 */
public final class RetentionSweep {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweep.class);
    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();
    private static final String ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
    private static final Pattern ITEM = Pattern.compile("meetings/(" + ID + ")/(recordings|transcripts)/(" + ID + ")/(.+)");

    /** What the sweep did to one recording or transcript. */
    public record Outcome(String meetingId, String item, Instant expiredAt, boolean deleted, int objects) {
    }

    /** Told about every expired item: deleted, or kept because its meeting is held. */
    @FunctionalInterface
    public interface Listener {
        void expired(Outcome outcome);
    }

    private final Supplier<S3Client> client;
    private final Supplier<String> bucket;
    private final Function<String, RetentionPolicy> policyOf;
    private final Predicate<String> held;
    private final Clock clock;

    /** One policy for every meeting. */
    public RetentionSweep(Supplier<S3Client> client, Supplier<String> bucket, RetentionPolicy policy, Predicate<String> held, Clock clock) {
        this(client, bucket, (Function<String, RetentionPolicy>) m -> policy, held, clock);
    }

    /**
     * @param policyOf a meeting's policy (its own, or the platform's), asked once per meeting and pass
     * @param held     whether a meeting is under legal hold, asked for each expired item
     */
    public RetentionSweep(Supplier<S3Client> client, Supplier<String> bucket, Function<String, RetentionPolicy> policyOf,
                          Predicate<String> held, Clock clock) {
        this.client = client;
        this.bucket = bucket;
        this.policyOf = policyOf;
        this.held = held;
        this.clock = clock;
    }

    public List<Outcome> run(Listener listener) {
        S3Client c = client.get();
        String b = bucket.get();
        // item prefix ("meetings/m/recordings/r/") → its keys, in listing order
        Map<String, List<String>> items = new LinkedHashMap<>();
        for (S3Object o : c.listObjectsV2Paginator(r -> r.bucket(b).prefix("meetings/")).contents()) {
            Matcher m = ITEM.matcher(o.key());
            if (m.matches()) {
                items.computeIfAbsent("meetings/" + m.group(1) + "/" + m.group(2) + "/" + m.group(3) + "/", k -> new ArrayList<>()).add(o.key());
            }
        }
        Instant now = clock.instant();
        Map<String, RetentionPolicy> policies = new java.util.HashMap<>();
        List<Outcome> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : items.entrySet()) {
            Matcher m = ITEM.matcher(e.getKey() + "x");
            if (!m.matches()) {
                continue;
            }
            String meeting = m.group(1);
            boolean recording = m.group(2).equals("recordings");
            String item = m.group(2) + "/" + m.group(3);
            RetentionPolicy policy = policies.computeIfAbsent(meeting, policyOf);
            Instant expires = expiry(c, b, e.getKey(), recording, e.getValue(), policy);
            if (expires == null || expires.isAfter(now)) {
                continue;
            }
            Outcome o;
            if (held.test(meeting)) {
                o = new Outcome(meeting, item, expires, false, 0);
            } else {
                delete(c, b, e.getValue());
                o = new Outcome(meeting, item, expires, true, e.getValue().size());
                LOG.info("retention: deleted {} of meeting {} ({} objects, expired {})", item, meeting, o.objects(), expires);
            }
            out.add(o);
            listener.expired(o);
        }
        return out;
    }

    /** When an item expires, or null when it is not dated yet (in progress) or its date cannot be read. */
    private static Instant expiry(S3Client c, String b, String prefix, boolean recording, List<String> keys, RetentionPolicy policy) {
        String dating = prefix + (recording ? "manifest.json" : "transcript.json");
        if (!keys.contains(dating)) {
            return null;
        }
        String body = c.getObjectAsBytes(r -> r.bucket(b).key(dating)).asUtf8String();
        try {
            if (recording) {
                // The manifest is the recorder's plain JSON.
                String started = JSON.readTree(body).path("startedAt").asString("");
                return started.isEmpty() ? null : policy.recordingDeletedAt(Instant.parse(started));
            }
            Transcript.Builder t = Transcript.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(body, t);
            if (!t.hasCreateTime()) {
                return null;
            }
            return policy.transcriptDeletedAt(Instant.ofEpochSecond(t.getCreateTime().getSeconds(), t.getCreateTime().getNanos()));
        } catch (DateTimeParseException | InvalidProtocolBufferException | tools.jackson.core.JacksonException e) {
            LOG.warn("retention: {} has no readable date, so it is kept: {}", dating, e.getMessage());
            return null;
        }
    }

    private static void delete(S3Client c, String b, List<String> keys) {
        for (int i = 0; i < keys.size(); i += 1000) {
            List<ObjectIdentifier> batch = keys.subList(i, Math.min(keys.size(), i + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            c.deleteObjects(r -> r.bucket(b).delete(Delete.builder().objects(batch).quiet(true).build()));
        }
    }
}
