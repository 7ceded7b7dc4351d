package org.steno.proto;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds fully populated messages: every field set to a non-default value, every repeated field and map with two
 * elements, and in each real oneof the case chosen by the variant number. Variant {@code k} picks case
 * {@code k mod n} of every oneof with {@code n} cases, so variants {@code 0 .. variantCount-1} together cover every
 * case of every oneof of the message.
 */
final class MessageFiller {

  private static final int MAX_DEPTH = 8;

  private MessageFiller() {}

  /** How many variants are needed to cover every oneof case of {@code d} (at least 1). */
  static int variantCount(Descriptor d) {
    int n = 1;
    for (OneofDescriptor o : d.getRealOneofs()) {
      n = Math.max(n, o.getFieldCount());
    }
    return n;
  }

  /** A fully populated instance of the generated type of {@code d}. */
  static Message fill(Descriptor d, int variant) {
    return fill(Contracts.defaultInstance(d).newBuilderForType(), variant, 0);
  }

  private static Message fill(Message.Builder b, int variant, int depth) {
    Descriptor d = b.getDescriptorForType();
    if (d.getFullName().equals("google.protobuf.Duration")) {
      return Durations.fromMillis(1_234L + 17L * variant);
    }
    if (d.getFullName().equals("google.protobuf.Timestamp")) {
      return Timestamps.fromMillis(1_700_000_000_123L + 17L * variant);
    }
    if (depth > MAX_DEPTH) {
      throw new AssertionError("message nesting deeper than " + MAX_DEPTH + " at " + d.getFullName());
    }
    for (FieldDescriptor f : d.getFields()) {
      OneofDescriptor oneof = f.getRealContainingOneof();
      if (oneof != null && oneof.getField(variant % oneof.getFieldCount()) != f) {
        continue;
      }
      if (f.isMapField()) {
        for (int i = 0; i < 2; i++) {
          Message.Builder entry = b.newBuilderForField(f);
          Descriptor entryType = entry.getDescriptorForType();
          FieldDescriptor key = entryType.findFieldByName("key");
          FieldDescriptor value = entryType.findFieldByName("value");
          entry.setField(key, value(entry, key, variant + i, depth, "key" + i));
          entry.setField(value, value(entry, value, variant + i, depth, "value" + i));
          b.addRepeatedField(f, entry.build());
        }
      } else if (f.isRepeated()) {
        for (int i = 0; i < 2; i++) {
          b.addRepeatedField(f, value(b, f, variant + i, depth, "item" + i));
        }
      } else {
        b.setField(f, value(b, f, variant, depth, ""));
      }
    }
    return b.build();
  }

  private static Object value(Message.Builder owner, FieldDescriptor f, int variant, int depth, String suffix) {
    int n = f.getNumber();
    switch (f.getJavaType()) {
      case INT:
        return 7 + n + variant;
      case LONG:
        return 1_000_000_007L + n + variant;
      case FLOAT:
        return 0.25f * (1 + (n + variant) % 3);
      case DOUBLE:
        return 0.125 * (1 + (n + variant) % 5);
      case BOOLEAN:
        return true;
      case STRING:
        return f.getName() + "-" + variant + suffix + "-é✓";
      case BYTE_STRING:
        return ByteString.copyFrom((f.getName() + variant + suffix).getBytes(StandardCharsets.UTF_8))
            .concat(ByteString.copyFrom(new byte[] {0, (byte) 0xff, (byte) n}));
      case ENUM: {
        List<EnumValueDescriptor> values = f.getEnumType().getValues();
        List<EnumValueDescriptor> nonZero = new ArrayList<>();
        for (EnumValueDescriptor v : values) {
          if (v.getNumber() != 0) {
            nonZero.add(v);
          }
        }
        if (nonZero.isEmpty()) {
          throw new AssertionError("enum " + f.getEnumType().getFullName() + " has no non-zero value");
        }
        return nonZero.get((variant + n) % nonZero.size());
      }
      case MESSAGE:
        return fill(owner.newBuilderForField(f), variant, depth + 1);
      default:
        throw new AssertionError("unhandled field type " + f.getJavaType() + " of " + f.getFullName());
    }
  }

  /**
   * Describes every field of {@code m} (recursively) that is not populated: a singular field without presence, an
   * empty repeated field, or a real oneof with no case set. Empty when {@code m} is fully populated.
   */
  static List<String> unpopulated(Message m) {
    List<String> problems = new ArrayList<>();
    unpopulated(m, m.getDescriptorForType().getName(), problems);
    return problems;
  }

  private static void unpopulated(Message m, String path, List<String> problems) {
    Descriptor d = m.getDescriptorForType();
    for (OneofDescriptor o : d.getRealOneofs()) {
      if (!m.hasOneof(o)) {
        problems.add(path + "." + o.getName() + " (oneof, no case set)");
      }
    }
    for (FieldDescriptor f : d.getFields()) {
      String fieldPath = path + "." + f.getName();
      if (f.isRepeated()) {
        int count = m.getRepeatedFieldCount(f);
        if (count == 0) {
          problems.add(fieldPath + " (empty)");
        }
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
          for (int i = 0; i < count; i++) {
            unpopulated((Message) m.getRepeatedField(f, i), fieldPath + "[" + i + "]", problems);
          }
        }
        continue;
      }
      if (f.getRealContainingOneof() != null && m.getOneofFieldDescriptor(f.getRealContainingOneof()) != f) {
        continue; // another case of the oneof is the one set
      }
      if (!m.hasField(f)) {
        problems.add(fieldPath + " (unset or default)");
      } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        unpopulated((Message) m.getField(f), fieldPath, problems);
      }
    }
  }
}
