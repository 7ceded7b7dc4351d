package org.steno.models.kyutai;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The wire format of moshi-server: every binary WebSocket frame is one MessagePack map whose
 * {@code type} key names the variant (serde's internally tagged enums, written with string keys by
 * {@code rmp_serde::Serializer::with_struct_map}). PCM goes out as single floats, as Kyutai's
 * clients pack it ({@code use_single_float}); numbers coming in are accepted as any MessagePack
 * integer or float, since serde's encoding of an {@code f64} or {@code usize} depends on its value.
 */
public final class MoshiCodec {

    /** The message of a batched server whose every slot is taken. */
    public static final String NO_FREE_CHANNELS = "no free channels";

    private MoshiCodec() {
    }

    /** {@code {"type":"Audio","pcm":[f32…]}}: mono 24 kHz samples in −1..1. */
    public static byte[] audio(float[] pcm, int offset, int length) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(2);
            p.packString("type").packString("Audio");
            p.packString("pcm").packArrayHeader(length);
            for (int i = 0; i < length; i++) {
                p.packFloat(pcm[offset + i]);
            }
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("packing into memory cannot fail", e);
        }
    }

    /** {@code {"type":"Marker","id":i64}}. */
    public static byte[] marker(long id) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(2);
            p.packString("type").packString("Marker");
            p.packString("id").packLong(id);
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("packing into memory cannot fail", e);
        }
    }

    /** Decodes one server frame; unknown keys are skipped, an unknown type is {@link MoshiMessage.Unknown}. */
    public static MoshiMessage decode(ByteBuffer frame) throws MoshiProtocolException {
        int size = frame.remaining();
        // From a byte array: msgpack-core reads direct buffers through JDK internals that Java 17 closes.
        byte[] bytes = new byte[size];
        frame.duplicate().get(bytes);
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            if (!u.hasNext()) {
                throw new MoshiProtocolException("empty frame");
            }
            if (u.getNextFormat().getValueType() != ValueType.MAP) {
                throw new MoshiProtocolException("frame of " + size + " bytes is a MessagePack "
                        + u.getNextFormat().getValueType().name().toLowerCase() + ", not a map");
            }
            Fields f = new Fields();
            int n = u.unpackMapHeader();
            for (int i = 0; i < n; i++) {
                if (u.getNextFormat().getValueType() != ValueType.STRING) {
                    throw new MoshiProtocolException("map key of type "
                            + u.getNextFormat().getValueType().name().toLowerCase() + " (keys are strings)");
                }
                String key = u.unpackString();
                switch (key) {
                    case "type" -> f.type = string(u, key);
                    case "text" -> f.text = string(u, key);
                    case "message" -> f.message = string(u, key);
                    case "start_time" -> f.startTime = number(u, key);
                    case "stop_time" -> f.stopTime = number(u, key);
                    case "id", "step_idx", "buffered_pcm" -> f.put(key, (long) number(u, key));
                    case "prs" -> f.prs = floats(u);
                    default -> u.skipValue();
                }
            }
            if (u.hasNext()) {
                throw new MoshiProtocolException("bytes left after the message in a frame of " + size + " bytes");
            }
            return f.message();
        } catch (MoshiProtocolException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // msgpack-core reports truncated or corrupt input as MessageInsufficientBufferException,
            // MessageTypeException, … (IOException or RuntimeException): all mean "not a message".
            throw new MoshiProtocolException("frame of " + size + " bytes is not valid MessagePack ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }

    private static String string(MessageUnpacker u, String key) throws IOException, MoshiProtocolException {
        if (u.getNextFormat().getValueType() != ValueType.STRING) {
            throw new MoshiProtocolException("'" + key + "' is a " + u.getNextFormat().getValueType().name().toLowerCase()
                    + ", not a string");
        }
        return u.unpackString();
    }

    private static double number(MessageUnpacker u, String key) throws IOException, MoshiProtocolException {
        MessageFormat fmt = u.getNextFormat();
        return switch (fmt.getValueType()) {
            case INTEGER -> u.unpackLong();
            case FLOAT -> u.unpackDouble();
            default -> throw new MoshiProtocolException("'" + key + "' is a " + fmt.getValueType().name().toLowerCase()
                    + ", not a number");
        };
    }

    /** Pause heads a Step may carry (moshi's models have 4). */
    static final int MAX_PRS = 64;

    private static float[] floats(MessageUnpacker u) throws IOException, MoshiProtocolException {
        if (u.getNextFormat().getValueType() != ValueType.ARRAY) {
            throw new MoshiProtocolException("'prs' is a " + u.getNextFormat().getValueType().name().toLowerCase()
                    + ", not an array");
        }
        int n = u.unpackArrayHeader();
        if (n > MAX_PRS) {
            // moshi's models have 4 pause heads; a length from the wire is never an allocation size as is
            throw new MoshiProtocolException("'prs' has " + n + " values (at most " + MAX_PRS + ")");
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) number(u, "prs[" + i + "]");
        }
        return out;
    }

    /** The fields of one map, checked against its type once all are read (keys may come in any order). */
    private static final class Fields {
        String type;
        String text;
        String message;
        Double startTime;
        Double stopTime;
        Long id;
        Long stepIdx;
        Long bufferedPcm;
        float[] prs;

        void put(String key, long v) {
            switch (key) {
                case "id" -> id = v;
                case "step_idx" -> stepIdx = v;
                default -> bufferedPcm = v;
            }
        }

        MoshiMessage message() throws MoshiProtocolException {
            if (type == null) {
                throw new MoshiProtocolException("map without a 'type' key");
            }
            return switch (type) {
                case "Ready" -> new MoshiMessage.Ready();
                case "Word" -> new MoshiMessage.Word(require(text, "text"), require(startTime, "start_time"));
                case "EndWord" -> new MoshiMessage.EndWord(require(stopTime, "stop_time"));
                case "Marker" -> new MoshiMessage.Marker(require(id, "id"));
                case "Step" -> new MoshiMessage.Step(require(stepIdx, "step_idx"), require(prs, "prs"),
                        bufferedPcm == null ? 0 : bufferedPcm);
                case "Error" -> new MoshiMessage.Error(require(message, "message"));
                default -> new MoshiMessage.Unknown(type);
            };
        }

        private <T> T require(T v, String key) throws MoshiProtocolException {
            if (v == null) {
                throw new MoshiProtocolException("'" + type + "' message without '" + key + "'");
            }
            return v;
        }
    }
}
