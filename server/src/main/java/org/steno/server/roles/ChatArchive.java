package org.steno.server.roles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.chat.ChatLog;
import org.steno.conference.chat.ChatMessage;
import org.steno.server.storage.S3Storage;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a meeting's chat beside its transcripts when the meeting ends:
 * {@code meetings/<id>/chat.json} ({@code {"meetingId", "messages": [{seq, participantId,
 * displayName, text, at, mediaTimeMs}], "dropped"}}). A meeting that reopens later adds a file
 * per session ({@code chat-<n>.json} after the first), never overwriting one.
 */
final class ChatArchive implements ConferenceRole.ChatSink {

    private static final Logger LOG = LoggerFactory.getLogger(ChatArchive.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Supplier<S3Storage> storage;
    /** One writer: a meeting's end must not wait for the bucket. */
    private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "chat-archive");
        t.setDaemon(true);
        return t;
    });

    ChatArchive(Supplier<S3Storage> storage) {
        this.storage = storage;
    }

    @Override
    public void store(String meetingId, ChatLog.Ended chat) {
        if (!chat.messages().isEmpty()) {
            writer.execute(() -> write(meetingId, chat));
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(20, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("chats still being stored after 20 s at shutdown; they are lost");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stores the chat; a failure is logged with the meeting, never thrown. */
    private void write(String meetingId, ChatLog.Ended chat) {
        try {
            S3Storage s3 = storage.get();
            String bucket = s3.target().bucket();
            String key = "meetings/" + meetingId + "/chat.json";
            for (int n = 2; exists(s3, bucket, key); n++) {
                key = "meetings/" + meetingId + "/chat-" + n + ".json";
            }
            String finalKey = key;
            s3.client().putObject(r -> r.bucket(bucket).key(finalKey).contentType("application/json"),
                    RequestBody.fromBytes(JSON.writeValueAsBytes(document(meetingId, chat))));
            LOG.info("stored the chat of meeting {} ({} messages) as {}", meetingId, chat.messages().size(), finalKey);
        } catch (RuntimeException e) {
            LOG.warn("the chat of meeting {} ({} messages) could not be stored", meetingId, chat.messages().size(), e);
        }
    }

    private static boolean exists(S3Storage s3, String bucket, String key) {
        try {
            s3.client().headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    static Map<String, Object> document(String meetingId, ChatLog.Ended chat) {
        List<Map<String, Object>> messages = new ArrayList<>();
        for (ChatMessage m : chat.messages()) {
            messages.add(m.view());
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("meetingId", meetingId);
        doc.put("messages", messages);
        doc.put("dropped", chat.dropped());
        return doc;
    }
}
