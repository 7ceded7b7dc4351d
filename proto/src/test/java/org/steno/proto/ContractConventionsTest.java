package org.steno.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The conventions of proto/README.md, checked on the generated descriptors. */
class ContractConventionsTest {

  private static final Pattern PACKAGE = Pattern.compile("steno\\.([a-z]+)\\.v(\\d+)");

  @Test
  void everyProtoFileOnDiskIsKnownToTheTests() {
    List<String> known = Contracts.FILES.stream().map(FileDescriptor::getName).sorted().collect(Collectors.toList());
    assertThat(known).isEqualTo(Contracts.protoFilesOnDisk());
  }

  @Test
  void filesFollowThePackageAndJavaOptionConventions() {
    for (FileDescriptor file : Contracts.FILES) {
      var m = PACKAGE.matcher(file.getPackage());
      assertThat(m.matches()).as(file.getName() + " package " + file.getPackage()).isTrue();
      String area = m.group(1);
      String version = m.group(2);
      assertThat(file.getName()).startsWith("steno/" + area + "/v" + version + "/");
      assertThat(file.toProto().getSyntax()).as(file.getName()).isEqualTo("proto3");
      assertThat(file.getOptions().getJavaMultipleFiles()).as(file.getName()).isTrue();
      assertThat(file.getOptions().getJavaPackage()).as(file.getName())
          .isEqualTo("org.steno.proto." + area + ".v" + version);
    }
  }

  @Test
  void enumsStartWithUnspecifiedAndPrefixTheirValues() {
    List<String> problems = new ArrayList<>();
    for (EnumDescriptor e : Contracts.allEnums()) {
      String prefix = upperSnake(e.getName()) + "_";
      EnumValueDescriptor zero = e.findValueByNumber(0);
      if (zero == null || !zero.getName().equals(prefix + "UNSPECIFIED") || e.getValues().get(0) != zero) {
        problems.add(e.getFullName() + " must start with " + prefix + "UNSPECIFIED = 0");
      }
      for (EnumValueDescriptor v : e.getValues()) {
        if (!v.getName().startsWith(prefix)) {
          problems.add(v.getFullName() + " must start with " + prefix);
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(Contracts.allEnums()).hasSizeGreaterThan(10);
  }

  @Test
  void timesUseDurationForMediaTimeAndOffsetsAndTimestampForWallClock() {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Descriptor d : Contracts.allMessages()) {
      for (FieldDescriptor f : d.getFields()) {
        String n = f.getName();
        String expected = null;
        if (n.startsWith("media_") && !n.equals("media_type") || n.endsWith("_offset") || n.equals("offset")
            || n.endsWith("_at") || n.equals("resume_from") || n.endsWith("_duration")) {
          expected = "google.protobuf.Duration";
        } else if (n.endsWith("_time")) {
          expected = "google.protobuf.Timestamp";
        }
        if (expected == null) {
          continue;
        }
        checked++;
        String actual = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? f.getMessageType().getFullName()
            : f.getType().toString();
        if (!actual.equals(expected)) {
          problems.add(f.getFullName() + " is " + actual + ", expected " + expected);
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(checked).isGreaterThan(40);
  }

  @Test
  void noFieldNumberIsInTheReservedRangeOrHuge() {
    for (Descriptor d : Contracts.allMessages()) {
      for (FieldDescriptor f : d.getFields()) {
        assertThat(f.getNumber()).as(f.getFullName()).isBetween(1, 999);
      }
    }
  }

  private static String upperSnake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
  }
}
