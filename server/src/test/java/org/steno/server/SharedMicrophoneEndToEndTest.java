package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Access;
import org.steno.conference.meeting.EndReason;
import org.steno.conference.meeting.Meeting;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.proto.transcript.v1.Word;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import org.steno.server.storage.S3Storage;
import org.steno.server.storage.S3Target;
import org.steno.server.tools.ReplayTool;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A meeting room on one microphone: {@code steno replay --room} feeds a conversation of two
 * real people (the librivox reader and the pocketsphinx "cards" speaker, taking turns) as one
 * shared-microphone track; the embedded pipeline recognises it with pocketsphinx and diarizes
 * it with the builtin diarizer; captions and the stored transcript name two voices of the room
 * ("Boardroom (1)", "Boardroom (2)"), and the words of each person's turns go to one voice.
 */
class SharedMicrophoneEndToEndTest {

    static final Path DATA = Path.of("/usr/share/pocketsphinx/test/data");
    static final int RATE = 16000;

    @TempDir
    Path dataDir;

    /** Who really speaks when in the conversation (ms from its start). */
    record Truth(String person, long startMs, long endMs) {
    }

    @Test
    void aRoomMicrophoneIsDiarizedIntoTwoVoicesThatMatchWhoSpoke() throws Exception {
        List<Truth> truth = new ArrayList<>();
        Path conversation = conversation(dataDir.resolve("boardroom.wav"), truth);
        try (StenoProcess steno = new StenoProcess(Role.UP, TestConfigs.ephemeral(dataDir), Access.allowAll())) {
            steno.start();
            Meeting meeting = steno.conference().registry().create("Room microphone");
            meeting.setCaptions(true, "en-US");
            long deadline = System.currentTimeMillis() + 90_000;
            while (!LiveCaptionsEndToEndTest.readyz(steno).contains("RUNNING on the embedded MiniCluster")
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(250);
            }
            Thread.sleep(1500); // the job's first discovery round picks the meeting up
            LiveCaptionsEndToEndTest.Collector captions = new LiveCaptionsEndToEndTest.Collector();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + steno.httpPort() + "/ws/meetings/" + meeting.id() + "/captions"),
                            captions)
                    .get(5, TimeUnit.SECONDS);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = ReplayTool.run(new String[] {"--meeting", meeting.id(), "--room", "Boardroom=" + conversation,
                "--realtime", "--server", "127.0.0.1:" + steno.grpcPort(), "--token-file", steno.config().dataDir().resolve("service-token").toString()}, new PrintStream(out), new PrintStream(out));
            assertThat(code).as(out.toString()).isZero();
            Matcher m = Pattern.compile("media time ([0-9.]+)").matcher(out.toString());
            assertThat(m.find()).as(out.toString()).isTrue();
            long trackStartMs = Math.round(Double.parseDouble(m.group(1)) * 1000);

            steno.conference().registry().end(meeting.id(), EndReason.ENDED_BY_HOST);
            Transcript transcript = storedTranscript(steno, meeting.id());
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);

            Map<String, Speaker> speakers = new HashMap<>();
            transcript.getSpeakersList().forEach(s -> speakers.put(s.getSpeakerId(), s));
            // Every word is scored against the person who really spoke at its middle.
            Map<String, Map<String, Integer>> wordsByVoiceAndPerson = new HashMap<>();
            int words = 0;
            for (Segment s : transcript.getSegmentsList()) {
                Speaker sp = speakers.get(s.getSpeakerId());
                for (Word w : s.getWordsList()) {
                    long mid = (Durations.toMillis(w.getMediaStart()) + Durations.toMillis(w.getMediaEnd())) / 2 - trackStartMs;
                    Optional<Truth> who = truth.stream().filter(t -> mid >= t.startMs() - 300 && mid < t.endMs() + 300).findFirst();
                    if (who.isPresent()) {
                        wordsByVoiceAndPerson.computeIfAbsent(sp.getDisplayName(), k -> new HashMap<>())
                                .merge(who.get().person(), 1, Integer::sum);
                        words++;
                    }
                }
            }
            System.out.println("words by voice and true speaker: " + wordsByVoiceAndPerson);
            assertThat(transcript.getSpeakersList()).as("two diarized voices of the room")
                    .filteredOn(Speaker::getIsDiarized).extracting(Speaker::getDisplayName)
                    .contains("Boardroom (1)", "Boardroom (2)");
            assertThat(transcript.getSpeakersList()).filteredOn(Speaker::getIsDiarized)
                    .allSatisfy(s -> assertThat(s.getIdentity()).isEqualTo("replay:boardroom"));
            // Each voice's words come mostly from one person, and the two voices are two people.
            int right = 0;
            List<String> majority = new ArrayList<>();
            for (Map<String, Integer> byPerson : wordsByVoiceAndPerson.values()) {
                var top = byPerson.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
                right += top.getValue();
                majority.add(top.getKey());
            }
            System.out.printf("%d of %d words attributed to the voice of who spoke them%n", right, words);
            assertThat(words).isGreaterThan(20);
            assertThat(majority).contains("reader", "cards");
            assertThat(right).isGreaterThanOrEqualTo((int) Math.ceil(words * 0.9)); // measured: 60 of 60
            assertThat(captions.messages).anyMatch(c -> c.contains("\"speakerDisplayName\":\"Boardroom (")
                    && c.contains("CAPTION_KIND_FINAL"));
        }
    }

    /** The reader and the cards speaker taking turns, 0.7 s apart, written as one 16 kHz WAV. */
    static Path conversation(Path wav, List<Truth> truth) throws Exception {
        String[][] turns = {
            {"reader", "librivox/sense_and_sensibility_01_austen_64kb-0870.wav"},
            {"cards", "cards/005.wav"},
            {"reader", "librivox/sense_and_sensibility_01_austen_64kb-0880.wav"},
            {"cards", "cards/002.wav"},
            {"reader", "librivox/sense_and_sensibility_01_austen_64kb-0930.wav"},
            {"cards", "cards/003.wav"},
            {"cards", "cards/004.wav"},
        };
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        for (String[] t : turns) {
            pcm.write(new byte[RATE * 2 * 7 / 10]);
            long start = pcm.size() / (RATE * 2 / 1000);
            try (AudioInputStream in = AudioSystem.getAudioInputStream(DATA.resolve(t[1]).toFile())) {
                assertThat(in.getFormat().getSampleRate()).isEqualTo(RATE);
                pcm.write(in.readAllBytes());
            }
            truth.add(new Truth(t[0], start, pcm.size() / (RATE * 2 / 1000)));
        }
        pcm.write(new byte[RATE * 2]);
        byte[] all = pcm.toByteArray();
        AudioFormat f = new AudioFormat(RATE, 16, 1, true, false);
        File file = wav.toFile();
        AudioSystem.write(new AudioInputStream(new java.io.ByteArrayInputStream(all), f, all.length / 2),
                AudioFileFormat.Type.WAVE, file);
        return wav;
    }

    private static Transcript storedTranscript(StenoProcess steno, String meetingId) throws Exception {
        S3Target t = steno.storageTarget();
        try (S3Client s3 = S3Storage.newClient(t)) {
            Optional<String> json = Optional.empty();
            long deadline = System.currentTimeMillis() + 60_000;
            while (json.isEmpty() && System.currentTimeMillis() < deadline) {
                json = s3.listObjectsV2(b -> b.bucket(t.bucket()).prefix("meetings/" + meetingId + "/transcripts/"))
                        .contents().stream().map(S3Object::key).filter(k -> k.endsWith("/transcript.json")).findFirst();
                Thread.sleep(250);
            }
            assertThat(json).as("transcript.json in S3").isPresent();
            String key = json.get();
            Transcript.Builder tb = Transcript.newBuilder();
            com.google.protobuf.util.JsonFormat.parser().ignoringUnknownFields()
                    .merge(s3.getObjectAsBytes(b -> b.bucket(t.bucket()).key(key)).asUtf8String(), tb);
            String vtt = s3.getObjectAsBytes(b -> b.bucket(t.bucket()).key(key.replace(".json", ".vtt"))).asUtf8String();
            assertThat(vtt).contains("<v Boardroom (");
            return tb.build();
        }
    }
}
