package org.steno.models.kyutai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/** The wire format, byte by byte where it matters, and every way a frame can be wrong. */
class MoshiCodecTest {

    private static ByteBuffer pack(Object... kv) throws Exception {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(kv.length / 2);
            for (int i = 0; i < kv.length; i += 2) {
                p.packString((String) kv[i]);
                Object v = kv[i + 1];
                if (v instanceof String s) {
                    p.packString(s);
                } else if (v instanceof Integer n) {
                    p.packInt(n);
                } else if (v instanceof Double d) {
                    p.packDouble(d);
                } else if (v instanceof Float f) {
                    p.packFloat(f);
                }
            }
            return ByteBuffer.wrap(p.toByteArray());
        }
    }

    @Test
    void audioIsAMapOfTypeAndSingleFloats() throws Exception {
        byte[] b = MoshiCodec.audio(new float[] {0f, 0.5f, -1f, 9f}, 1, 2);
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(b)) {
            assertThat(u.unpackMapHeader()).isEqualTo(2);
            assertThat(u.unpackString()).isEqualTo("type");
            assertThat(u.unpackString()).isEqualTo("Audio");
            assertThat(u.unpackString()).isEqualTo("pcm");
            assertThat(u.unpackArrayHeader()).isEqualTo(2);
            assertThat(u.getNextFormat()).isEqualTo(MessageFormat.FLOAT32);
            assertThat(u.unpackFloat()).isEqualTo(0.5f);
            assertThat(u.unpackFloat()).isEqualTo(-1f);
            assertThat(u.hasNext()).isFalse();
        }
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(MoshiCodec.marker(-7))) {
            assertThat(u.unpackMapHeader()).isEqualTo(2);
            assertThat(u.unpackString()).isEqualTo("type");
            assertThat(u.unpackString()).isEqualTo("Marker");
            assertThat(u.unpackString()).isEqualTo("id");
            assertThat(u.unpackLong()).isEqualTo(-7);
        }
    }

    @Test
    void serverMessagesDecodeWhateverTheKeyOrderAndNumberEncoding() throws Exception {
        assertThat(MoshiCodec.decode(pack("start_time", 1, "text", "Bonjour,", "type", "Word")))
                .isEqualTo(new MoshiMessage.Word("Bonjour,", 1.0));
        assertThat(MoshiCodec.decode(pack("type", "EndWord", "stop_time", 0.56))).isEqualTo(new MoshiMessage.EndWord(0.56));
        assertThat(MoshiCodec.decode(pack("type", "Marker", "id", 3))).isEqualTo(new MoshiMessage.Marker(3));
        assertThat(MoshiCodec.decode(pack("type", "Ready"))).isEqualTo(new MoshiMessage.Ready());
        assertThat(MoshiCodec.decode(pack("type", "Error", "message", "no free channels"))).isEqualTo(new MoshiMessage.Error("no free channels"));
        assertThat(MoshiCodec.decode(pack("type", "Word", "text", "x", "start_time", 0.0, "future_key", "ignored")))
                .isEqualTo(new MoshiMessage.Word("x", 0.0));
        assertThat(MoshiCodec.decode(pack("type", "Translation", "text", "hola"))).isEqualTo(new MoshiMessage.Unknown("Translation"));
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(4).packString("type").packString("Step").packString("step_idx").packInt(12)
                    .packString("prs").packArrayHeader(4).packFloat(0.1f).packFloat(0.2f).packDouble(0.7).packInt(1)
                    .packString("buffered_pcm").packInt(480);
            MoshiMessage.Step s = (MoshiMessage.Step) MoshiCodec.decode(ByteBuffer.wrap(p.toByteArray()));
            assertThat(s.stepIdx()).isEqualTo(12);
            assertThat(s.prs()).containsExactly(0.1f, 0.2f, 0.7f, 1f);
            assertThat(s.bufferedPcm()).isEqualTo(480);
        }
    }

    @Test
    void aWrongFrameSaysWhatIsWrong() throws Exception {
        assertThatThrownBy(() -> MoshiCodec.decode(ByteBuffer.allocate(0))).hasMessage("empty frame");
        assertThatThrownBy(() -> MoshiCodec.decode(ByteBuffer.wrap(new byte[] {(byte) 0x92, 1, 2}))).hasMessageContaining("array, not a map");
        assertThatThrownBy(() -> MoshiCodec.decode(pack("text", "x"))).hasMessage("map without a 'type' key");
        assertThatThrownBy(() -> MoshiCodec.decode(pack("type", "Word", "text", "x", "stop_time", 1.0)))
                .hasMessage("'Word' message without 'start_time'");
        assertThatThrownBy(() -> MoshiCodec.decode(pack("type", "Word", "text", "x", "start_time", "soon")))
                .hasMessage("'start_time' is a string, not a number");
        assertThatThrownBy(() -> MoshiCodec.decode(pack("type", 3))).hasMessage("'type' is a integer, not a string");
        assertThatThrownBy(() -> MoshiCodec.decode(ByteBuffer.wrap(new byte[] {(byte) 0x82, (byte) 0xa4, 't', 'y'})))
                .hasMessageStartingWith("frame of 4 bytes is not valid MessagePack");
        byte[] two = new byte[] {(byte) 0x81, (byte) 0xa4, 't', 'y', 'p', 'e', (byte) 0xa5, 'R', 'e', 'a', 'd', 'y', 0x01};
        assertThatThrownBy(() -> MoshiCodec.decode(ByteBuffer.wrap(two))).hasMessageStartingWith("bytes left after the message");
        // A Step whose 'prs' claims 2^31 - 2 values in a few bytes: refused, not 8 GB allocated.
        java.io.ByteArrayOutputStream huge = new java.io.ByteArrayOutputStream();
        huge.writeBytes(new byte[] {(byte) 0x83, (byte) 0xa4, 't', 'y', 'p', 'e', (byte) 0xa4, 'S', 't', 'e', 'p',
            (byte) 0xa8, 's', 't', 'e', 'p', '_', 'i', 'd', 'x', 0x01, (byte) 0xa3, 'p', 'r', 's',
            (byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xfe});
        assertThatThrownBy(() -> MoshiCodec.decode(ByteBuffer.wrap(huge.toByteArray()))).hasMessageContaining("'prs' has 2147483646 values");
    }

    @Test
    void serverTimesMapToStreamOffsetsWithoutTheInsertedSilence() {
        ServerTimeline t = new ServerTimeline(16_000); // this connection began 1 s into the stream
        t.silenceSent(24_000);  // the leading second
        t.audioSent(48_000);    // 2 s of audio
        t.silenceSent(12_000);  // 0.5 s after a marker
        t.audioSent(24_000);    // 1 s of audio
        assertThat(t.toStream16(0.0)).isEqualTo(16_000);
        assertThat(t.toStream16(0.5)).isEqualTo(16_000);          // inside the leading silence
        assertThat(t.toStream16(1.5)).isEqualTo(16_000 + 8_000);  // 0.5 s into the audio
        assertThat(t.toStream16(3.2)).isEqualTo(16_000 + 32_000); // inside the marker's silence: the end of the audio before it
        assertThat(t.toStream16(3.75)).isEqualTo(16_000 + 36_000);
        assertThat(t.audioEnd16()).isEqualTo(16_000 + 48_000);
    }

    @Test
    void settingsKeepTheKeyOutOfUrlsAndPrints() {
        java.net.URI u = java.net.URI.create("wss://gpu-1:8080/");
        KyutaiSettings s = KyutaiSettings.of(u, "very-secret");
        assertThat(s.streamUri()).hasToString("wss://gpu-1:8080/api/asr-streaming");
        assertThat(s.buildInfoUri()).hasToString("https://gpu-1:8080/api/build_info");
        assertThat(s.toString()).doesNotContain("very-secret");
        assertThat(s.speaks("fr-FR")).isTrue();
        assertThat(s.speaks("de")).isFalse();
        assertThatThrownBy(() -> KyutaiSettings.of(java.net.URI.create("wss://gpu-1:8080/api/asr-streaming?auth_id=very-secret"), "k"))
                .hasMessageNotContaining("very-secret").hasMessageContaining("no query");
        assertThatThrownBy(() -> KyutaiSettings.of(java.net.URI.create("https://gpu-1"), "k")).hasMessageContaining("ws:// or wss://");
        assertThatThrownBy(() -> KyutaiSettings.of(u, " ")).hasMessageContaining("api key");
    }
}
