package org.steno.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.steno.proto.captions.v1.CaptionEvent;
import org.steno.proto.captions.v1.CaptionKind;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.media.v1.AudioFrame;
import org.steno.proto.media.v1.MediaEvent;
import org.steno.proto.speech.v1.Flush;
import org.steno.proto.speech.v1.RecognitionConfig;
import org.steno.proto.speech.v1.StreamingRecognitionConfig;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.proto.transcript.v1.Word;

/**
 * Every message type of every contract package, fully populated (every field set, each oneof case in turn),
 * survives the binary encoding and the protobuf JSON mapping unchanged.
 */
class ContractRoundTripTest {

  /** One fully populated instance per (message type, oneof variant). */
  static Stream<Arguments> populatedMessages() {
    List<Arguments> out = new ArrayList<>();
    for (Descriptor d : Contracts.allMessages()) {
      int variants = MessageFiller.variantCount(d);
      for (int v = 0; v < variants; v++) {
        Message m = MessageFiller.fill(d, v);
        out.add(Arguments.of(Named.of(d.getFullName() + caseLabel(m), m)));
      }
    }
    return out.stream();
  }

  private static String caseLabel(Message m) {
    StringBuilder s = new StringBuilder();
    for (OneofDescriptor o : m.getDescriptorForType().getRealOneofs()) {
      FieldDescriptor set = m.getOneofFieldDescriptor(o);
      s.append(s.length() == 0 ? " [" : ", ").append(o.getName()).append('=').append(set == null ? "-" : set.getName());
    }
    return s.length() == 0 ? "" : s.append(']').toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("populatedMessages")
  void instanceIsFullyPopulated(Message m) {
    assertThat(MessageFiller.unpopulated(m)).as("fields left unset").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("populatedMessages")
  void survivesBinaryEncoding(Message m) throws InvalidProtocolBufferException {
    byte[] bytes = m.toByteArray();
    assertThat(bytes).isNotEmpty();
    Message parsed = m.getParserForType().parseFrom(bytes);
    assertThat(parsed).isEqualTo(m);
    assertThat(parsed.getUnknownFields().asMap()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("populatedMessages")
  void survivesJsonEncoding(Message m) throws InvalidProtocolBufferException {
    String json = JsonFormat.printer().print(m);
    Message.Builder parsed = m.newBuilderForType();
    JsonFormat.parser().merge(json, parsed);
    assertThat(parsed.build()).isEqualTo(m);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("populatedMessages")
  void survivesJsonEncodingWithProtoFieldNames(Message m) throws InvalidProtocolBufferException {
    String json = JsonFormat.printer().preservingProtoFieldNames().print(m);
    Message.Builder parsed = m.newBuilderForType();
    JsonFormat.parser().merge(json, parsed);
    assertThat(parsed.build()).isEqualTo(m);
  }

  @Test
  void everyOneofCaseOfEveryMessageIsCovered() {
    Set<String> covered = new HashSet<>();
    populatedMessages().forEach(a -> {
      Message m = (Message) ((Named<?>) a.get()[0]).getPayload();
      collectOneofCases(m, covered);
    });
    List<String> missing = new ArrayList<>();
    for (Descriptor d : Contracts.allMessages()) {
      for (OneofDescriptor o : d.getRealOneofs()) {
        for (FieldDescriptor f : o.getFields()) {
          if (!covered.contains(f.getFullName())) {
            missing.add(f.getFullName());
          }
        }
      }
    }
    assertThat(missing).isEmpty();
    assertThat(covered).contains("steno.media.v1.MediaEvent.audio_frame", "steno.speech.v1.StreamingRecognizeRequest.flush");
  }

  private static void collectOneofCases(Message m, Set<String> covered) {
    for (OneofDescriptor o : m.getDescriptorForType().getRealOneofs()) {
      FieldDescriptor f = m.getOneofFieldDescriptor(o);
      if (f != null) {
        covered.add(f.getFullName());
      }
    }
  }

  @Test
  void everyMessageTypeIsExercised() {
    // 10 files; guards against the descriptor walk silently finding nothing.
    assertThat(Contracts.allMessages()).hasSizeGreaterThan(60);
    for (Descriptor d : Contracts.allMessages()) {
      assertThat(Contracts.defaultInstance(d).getDescriptorForType()).isSameAs(d);
    }
  }

  @Test
  void transcriptJsonUsesTheDocumentedFileFormat() throws InvalidProtocolBufferException {
    Transcript t = Transcript.newBuilder()
        .setSchemaVersion(1)
        .setTranscriptId("t1")
        .setMeetingId("m-42")
        .setLanguageCode("fr-FR")
        .setCreateTime(Timestamps.fromMillis(1_700_000_000_000L))
        .setMediaDuration(Durations.fromMillis(83_240))
        .addSpeakers(Speaker.newBuilder().setSpeakerId("s1").setDisplayName("Alice Martin").setIsDiarized(false))
        .addSegments(Segment.newBuilder()
            .setSegmentId("tr1-1500")
            .setSpeakerId("s1")
            .setMediaStart(Durations.fromMillis(1_500))
            .setMediaEnd(Durations.fromMillis(2_250))
            .setText("Bonjour.")
            .addWords(Word.newBuilder().setText("Bonjour.").setMediaStart(Durations.fromMillis(1_500))
                .setMediaEnd(Durations.fromMillis(2_250)).setConfidence(0.5f)))
        .build();

    String json = JsonFormat.printer().print(t);

    assertThat(json)
        .contains("\"meetingId\": \"m-42\"")
        .contains("\"mediaStart\": \"1.500s\"")
        .contains("\"mediaDuration\": \"83.240s\"")
        .contains("\"createTime\": \"2023-11-14T22:13:20Z\"")
        .doesNotContain("isDiarized"); // default values are omitted
  }

  @Test
  void transcriptReadersIgnoreFieldsAddedByNewerWriters() throws InvalidProtocolBufferException {
    String newer = "{\"schemaVersion\": 2, \"transcriptId\": \"t1\", \"someFutureField\": {\"x\": 1},"
        + " \"segments\": [{\"segmentId\": \"a\", \"text\": \"Oui.\", \"mediaStart\": \"0.250s\", \"futureToo\": true}]}";

    Transcript.Builder lenient = Transcript.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(newer, lenient);

    assertThat(lenient.getSchemaVersion()).isEqualTo(2);
    assertThat(lenient.getSegments(0).getText()).isEqualTo("Oui.");
    assertThat(lenient.getSegments(0).getMediaStart()).isEqualTo(Durations.fromMillis(250));
    // The strict parser rejects it, which is why the schema tells readers to ignore unknown fields.
    assertThatThrownBy(() -> JsonFormat.parser().merge(newer, Transcript.newBuilder()))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void streamingRequestOneofHoldsOneKindOfMessageAtATime() throws InvalidProtocolBufferException {
    StreamingRecognizeRequest.Builder b = StreamingRecognizeRequest.newBuilder()
        .setConfig(StreamingRecognitionConfig.newBuilder()
            .setStreamId("m-42/tr1/0")
            .setConfig(RecognitionConfig.newBuilder()
                .setLanguageCode("fr-FR")
                .setAudioFormat(AudioFormat.newBuilder()
                    .setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16).setSampleRateHz(16_000).setChannels(1))));
    assertThat(b.getRequestCase()).isEqualTo(StreamingRecognizeRequest.RequestCase.CONFIG);

    b.setAudio(ByteString.copyFrom(new byte[3_200])); // 100 ms at 16 kHz mono s16le
    assertThat(b.getRequestCase()).isEqualTo(StreamingRecognizeRequest.RequestCase.AUDIO);
    assertThat(b.hasConfig()).isFalse();

    StreamingRecognizeRequest flush = StreamingRecognizeRequest.newBuilder().setFlush(Flush.newBuilder().setId("f1")).build();
    StreamingRecognizeRequest parsed = StreamingRecognizeRequest.parseFrom(flush.toByteArray());
    assertThat(parsed.getRequestCase()).isEqualTo(StreamingRecognizeRequest.RequestCase.FLUSH);
    assertThat(parsed.getFlush().getId()).isEqualTo("f1");
  }

  @Test
  void audioFrameAndCaptionCarryMediaTimeOnTheMeetingTimeline() throws InvalidProtocolBufferException {
    MediaEvent frame = MediaEvent.newBuilder()
        .setMeetingId("m-42")
        .setMediaTime(Durations.fromMillis(61_000))
        .setAudioFrame(AudioFrame.newBuilder()
            .setTrackId("tr1").setSequence(610).setMediaTime(Durations.fromMillis(61_000))
            .setSampleRateHz(16_000).setChannels(1).setPcm(ByteString.copyFrom(new byte[3_200])))
        .build();
    CaptionEvent caption = CaptionEvent.newBuilder()
        .setMeetingId("m-42").setSegmentId("tr1/u7").setRevision(3).setKind(CaptionKind.CAPTION_KIND_FINAL)
        .setMediaStart(Durations.fromMillis(61_000)).setMediaEnd(Durations.fromMillis(62_500)).setText("Merci.")
        .build();

    MediaEvent frameBack = MediaEvent.parseFrom(frame.toByteArray());
    assertThat(frameBack.getEventCase()).isEqualTo(MediaEvent.EventCase.AUDIO_FRAME);
    assertThat(frameBack.getAudioFrame().getPcm().size()).isEqualTo(3_200);
    assertThat(JsonFormat.printer().print(caption)).contains("\"mediaStart\": \"61s\"", "\"kind\": \"CAPTION_KIND_FINAL\"");
  }
}
