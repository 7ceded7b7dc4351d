package org.steno.conference.chat;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chat of every live meeting on this node: messages checked (length, no control characters
 * but line breaks), limited per participant (a burst of 5, then one a second), kept in order and
 * bounded per meeting, and handed over whole when the meeting ends (the server stores them beside
 * its transcripts as {@code chat.json}).
 */
public final class ChatLog {

    public static final int MAX_TEXT = 2000;
    /** Messages kept per meeting; a meeting that says more keeps its first ones and counts the rest. */
    public static final int MAX_MESSAGES = 5000;
    /** Messages a page that joins late is sent. */
    public static final int HISTORY = 50;

    private static final class Chat {
        final List<ChatMessage> messages = new ArrayList<>();
        long next = 1;
        long dropped;
        final Map<String, Bucket> limits = new ConcurrentHashMap<>();
    }

    private final Clock clock;
    private final Map<String, Chat> chats = new ConcurrentHashMap<>();

    public ChatLog(Clock clock) {
        this.clock = clock;
    }

    /** Why a message was refused, as a sentence for the sender. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        public final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** Checks and appends a message; returns it as everyone is sent it. */
    public ChatMessage post(String meetingId, String participantId, String displayName, String raw, long mediaTimeMs)
            throws Refused {
        String text = raw == null ? "" : raw.strip();
        if (text.isEmpty() || text.length() > MAX_TEXT) {
            throw new Refused("bad-message", "a chat message is 1 to " + MAX_TEXT + " characters");
        }
        if (text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw new Refused("bad-message", "a chat message holds no control characters but line breaks");
        }
        Chat chat = chats.computeIfAbsent(meetingId, k -> new Chat());
        Bucket limit = chat.limits.computeIfAbsent(participantId, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(5).refillGreedy(1, Duration.ofSeconds(1)).build()).build());
        if (!limit.tryConsume(1)) {
            throw new Refused("rate-limited", "you are sending messages too fast; wait a moment");
        }
        synchronized (chat) {
            ChatMessage m = new ChatMessage(chat.next++, participantId, displayName, text, clock.instant(), mediaTimeMs);
            if (chat.messages.size() < MAX_MESSAGES) {
                chat.messages.add(m);
            } else {
                chat.dropped++;
            }
            return m;
        }
    }

    /** The last {@link #HISTORY} messages, oldest first. */
    public List<ChatMessage> recent(String meetingId) {
        Chat chat = chats.get(meetingId);
        if (chat == null) {
            return List.of();
        }
        synchronized (chat) {
            int from = Math.max(0, chat.messages.size() - HISTORY);
            return List.copyOf(chat.messages.subList(from, chat.messages.size()));
        }
    }

    /** The meeting ended: its whole chat, which this log forgets. */
    public Ended end(String meetingId) {
        Chat chat = chats.remove(meetingId);
        if (chat == null) {
            return new Ended(List.of(), 0);
        }
        synchronized (chat) {
            return new Ended(List.copyOf(chat.messages), chat.dropped);
        }
    }

    /** A meeting's whole chat. @param dropped messages past {@link #MAX_MESSAGES}, not kept */
    public record Ended(List<ChatMessage> messages, long dropped) {
    }
}
