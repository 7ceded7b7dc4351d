package org.steno.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.steno.proto.captions.v1.CaptionIngestGrpc;
import org.steno.proto.media.v1.MediaIngestGrpc;
import org.steno.proto.media.v1.MediaTapGrpc;
import org.steno.proto.speech.v1.DiarizerGrpc;
import org.steno.proto.speech.v1.TranscriberGrpc;

/**
 * The gRPC services exist with exactly the agreed methods, call types and message types, as generated
 * ({@code *Grpc.getServiceDescriptor()}); other modules build against these signatures.
 */
class ServiceContractTest {

  /** The agreed signature of one rpc. */
  private record Rpc(MethodType type, String input, String output) {}

  private static final Map<String, Rpc> EXPECTED = new TreeMap<>(Map.ofEntries(
      Map.entry("steno.media.v1.MediaTap/ListMeetings",
          new Rpc(MethodType.UNARY, "steno.media.v1.ListMeetingsRequest", "steno.media.v1.ListMeetingsResponse")),
      Map.entry("steno.media.v1.MediaTap/WatchMeetings",
          new Rpc(MethodType.SERVER_STREAMING, "steno.media.v1.WatchMeetingsRequest", "steno.media.v1.MeetingEvent")),
      Map.entry("steno.media.v1.MediaTap/Subscribe",
          new Rpc(MethodType.SERVER_STREAMING, "steno.media.v1.SubscribeRequest", "steno.media.v1.MediaEvent")),
      Map.entry("steno.media.v1.MediaIngest/Ingest",
          new Rpc(MethodType.CLIENT_STREAMING, "steno.media.v1.IngestRequest", "steno.media.v1.IngestSummary")),
      Map.entry("steno.speech.v1.Transcriber/StreamingRecognize",
          new Rpc(MethodType.BIDI_STREAMING, "steno.speech.v1.StreamingRecognizeRequest",
              "steno.speech.v1.StreamingRecognizeResponse")),
      Map.entry("steno.speech.v1.Transcriber/Recognize",
          new Rpc(MethodType.UNARY, "steno.speech.v1.RecognizeRequest", "steno.speech.v1.RecognizeResponse")),
      Map.entry("steno.speech.v1.Diarizer/StreamingDiarize",
          new Rpc(MethodType.BIDI_STREAMING, "steno.speech.v1.StreamingDiarizeRequest",
              "steno.speech.v1.StreamingDiarizeResponse")),
      Map.entry("steno.speech.v1.Diarizer/Diarize",
          new Rpc(MethodType.UNARY, "steno.speech.v1.DiarizeRequest", "steno.speech.v1.DiarizeResponse")),
      Map.entry("steno.captions.v1.CaptionIngest/Publish",
          new Rpc(MethodType.CLIENT_STREAMING, "steno.captions.v1.CaptionEvent", "steno.captions.v1.PublishSummary")),
      Map.entry("steno.captions.v1.CaptionIngest/PublishOne",
          new Rpc(MethodType.UNARY, "steno.captions.v1.CaptionEvent", "steno.captions.v1.PublishSummary")),
      Map.entry("steno.captions.v1.CaptionIngest/Control",
          new Rpc(MethodType.UNARY, "steno.captions.v1.CaptionControl", "steno.captions.v1.CaptionControlAck"))));

  private static final List<io.grpc.ServiceDescriptor> GENERATED = List.of(
      MediaTapGrpc.getServiceDescriptor(),
      MediaIngestGrpc.getServiceDescriptor(),
      TranscriberGrpc.getServiceDescriptor(),
      DiarizerGrpc.getServiceDescriptor(),
      CaptionIngestGrpc.getServiceDescriptor());

  @Test
  void generatedServicesHaveExactlyTheAgreedMethods() {
    Map<String, Rpc> actual = new TreeMap<>();
    for (io.grpc.ServiceDescriptor service : GENERATED) {
      for (MethodDescriptor<?, ?> method : service.getMethods()) {
        com.google.protobuf.Descriptors.MethodDescriptor schema =
            ((ProtoMethodDescriptorSupplier) method.getSchemaDescriptor()).getMethodDescriptor();
        actual.put(method.getFullMethodName(),
            new Rpc(method.getType(), schema.getInputType().getFullName(), schema.getOutputType().getFullName()));
        assertThat(method.getServiceName()).isEqualTo(service.getName());
      }
    }
    assertThat(actual).isEqualTo(EXPECTED);
  }

  @Test
  void everyServiceDeclaredInTheProtoFilesHasGeneratedStubsListedHere() {
    TreeSet<String> declared = new TreeSet<>();
    for (FileDescriptor file : Contracts.FILES) {
      for (ServiceDescriptor s : file.getServices()) {
        declared.add(s.getFullName());
      }
    }
    TreeSet<String> generated =
        GENERATED.stream().map(io.grpc.ServiceDescriptor::getName).collect(Collectors.toCollection(TreeSet::new));
    assertThat(generated).isEqualTo(declared);
  }

  @Test
  void everyClientStreamStartsWithAConfigInAOneof() {
    // Rule: a streaming call's first message is the config, a oneof case named `config` with field number 1;
    // the other cases carry audio or markers.
    List<String> streamingInputs = EXPECTED.values().stream()
        .filter(r -> r.type() == MethodType.CLIENT_STREAMING || r.type() == MethodType.BIDI_STREAMING)
        .map(Rpc::input)
        .filter(name -> !name.equals("steno.captions.v1.CaptionEvent")) // a stream of independent events, no session
        .collect(Collectors.toList());
    assertThat(streamingInputs).hasSize(3);

    for (String name : streamingInputs) {
      Descriptor input = findMessage(name);
      assertThat(input.getRealOneofs()).as(name).hasSize(1);
      OneofDescriptor oneof = input.getRealOneofs().get(0);
      FieldDescriptor config = input.findFieldByNumber(1);
      assertThat(config.getName()).as(name).isEqualTo("config");
      assertThat(config.getRealContainingOneof()).as(name).isEqualTo(oneof);
      assertThat(config.getJavaType()).as(name).isEqualTo(FieldDescriptor.JavaType.MESSAGE);
      assertThat(oneof.getFieldCount()).as(name + " needs cases besides config").isGreaterThan(1);
    }
  }

  @Test
  void speechStreamsAcceptAFlushMarkerAndAcknowledgeIt() {
    for (String[] pair : new String[][] {
        {"steno.speech.v1.StreamingRecognizeRequest", "steno.speech.v1.StreamingRecognizeResponse"},
        {"steno.speech.v1.StreamingDiarizeRequest", "steno.speech.v1.StreamingDiarizeResponse"}}) {
      FieldDescriptor flush = findMessage(pair[0]).findFieldByName("flush");
      FieldDescriptor audio = findMessage(pair[0]).findFieldByName("audio");
      FieldDescriptor done = findMessage(pair[1]).findFieldByName("flush_done");
      assertThat(flush.getMessageType().getFullName()).isEqualTo("steno.speech.v1.Flush");
      assertThat(audio.getType()).isEqualTo(FieldDescriptor.Type.BYTES);
      assertThat(done.getMessageType().getFullName()).isEqualTo("steno.speech.v1.FlushDone");
      assertThat(done.getRealContainingOneof()).isNotNull();
      assertThat(findMessage(pair[1]).findFieldByName("audio_processed").getMessageType().getFullName())
          .isEqualTo("google.protobuf.Duration");
    }
  }

  private static Descriptor findMessage(String fullName) {
    return Contracts.allMessages().stream()
        .filter(d -> d.getFullName().equals(fullName))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no message " + fullName));
  }
}
