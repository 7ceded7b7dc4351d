package org.steno.proto;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.steno.proto.captions.v1.CaptionIngestProto;
import org.steno.proto.captions.v1.CaptionProto;
import org.steno.proto.common.v1.AudioProto;
import org.steno.proto.media.v1.MediaIngestProto;
import org.steno.proto.media.v1.MediaTapProto;
import org.steno.proto.media.v1.MeetingProto;
import org.steno.proto.speech.v1.DiarizerProto;
import org.steno.proto.speech.v1.SpeechCommonProto;
import org.steno.proto.speech.v1.TranscriberProto;
import org.steno.proto.transcript.v1.TranscriptProto;

/** The contract files of this module, as generated descriptors and as source text. */
final class Contracts {

  /** Where the .proto sources live, relative to the module directory (Surefire's working directory). */
  static final Path PROTO_ROOT = Path.of("src", "main", "proto");

  /**
   * Every .proto file of the module. {@link ContractConventionsTest} checks that this list matches the files on
   * disk, so a new file cannot escape the tests by being left out of it.
   */
  static final List<FileDescriptor> FILES = List.of(
      AudioProto.getDescriptor(),
      MeetingProto.getDescriptor(),
      MediaTapProto.getDescriptor(),
      MediaIngestProto.getDescriptor(),
      SpeechCommonProto.getDescriptor(),
      TranscriberProto.getDescriptor(),
      DiarizerProto.getDescriptor(),
      CaptionProto.getDescriptor(),
      CaptionIngestProto.getDescriptor(),
      TranscriptProto.getDescriptor());

  private Contracts() {}

  /** Paths of the .proto files on disk, relative to {@link #PROTO_ROOT}, with '/' separators. */
  static List<String> protoFilesOnDisk() {
    try (Stream<Path> paths = Files.walk(PROTO_ROOT)) {
      return paths
          .filter(p -> p.toString().endsWith(".proto"))
          .map(p -> PROTO_ROOT.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every message type declared in the contract files, nested ones included, map entries excluded. */
  static List<Descriptor> allMessages() {
    List<Descriptor> out = new ArrayList<>();
    for (FileDescriptor file : FILES) {
      for (Descriptor d : file.getMessageTypes()) {
        collect(d, out);
      }
    }
    return out;
  }

  private static void collect(Descriptor d, List<Descriptor> out) {
    if (d.getOptions().getMapEntry()) {
      return;
    }
    out.add(d);
    for (Descriptor nested : d.getNestedTypes()) {
      collect(nested, out);
    }
  }

  /** Every enum type declared in the contract files, nested ones included. */
  static List<EnumDescriptor> allEnums() {
    List<EnumDescriptor> out = new ArrayList<>();
    for (FileDescriptor file : FILES) {
      out.addAll(file.getEnumTypes());
    }
    for (Descriptor d : allMessages()) {
      out.addAll(d.getEnumTypes());
    }
    return out;
  }

  /** Name of the generated Java class of a message type (java_multiple_files = true). */
  static String javaClassName(Descriptor d) {
    if (d.getContainingType() != null) {
      return javaClassName(d.getContainingType()) + "$" + d.getName();
    }
    return d.getFile().getOptions().getJavaPackage() + "." + d.getName();
  }

  /** The generated default instance of a message type, found by reflection. */
  static Message defaultInstance(Descriptor d) {
    try {
      Class<?> type = Class.forName(javaClassName(d));
      return (Message) type.getMethod("getDefaultInstance").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("no generated class for " + d.getFullName() + " (" + javaClassName(d) + ")", e);
    }
  }
}
