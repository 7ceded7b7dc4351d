package org.steno.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every message, enum, enum value, oneof, field, service and rpc in the .proto sources has a leading {@code //}
 * comment on the line directly above it (which is also where protoc takes documentation from).
 *
 * <p>Source comments are not kept in the runtime descriptors, so the sources are read as text. To keep the text
 * scan honest, the declarations it finds are compared with the generated descriptors: a declaration the scanner
 * fails to recognise (for instance two fields on one line) makes the test fail rather than go unchecked.
 */
class ProtoSourceDocumentationTest {

  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;$");
  private static final Pattern MESSAGE = Pattern.compile("^message\\s+(\\w+)\\s*\\{$");
  private static final Pattern ENUM = Pattern.compile("^enum\\s+(\\w+)\\s*\\{$");
  private static final Pattern SERVICE = Pattern.compile("^service\\s+(\\w+)\\s*\\{$");
  private static final Pattern ONEOF = Pattern.compile("^oneof\\s+(\\w+)\\s*\\{$");
  private static final Pattern RPC =
      Pattern.compile("^rpc\\s+(\\w+)\\s*\\(\\s*(stream\\s+)?[\\w.]+\\s*\\)\\s*returns\\s*\\(\\s*(stream\\s+)?[\\w.]+\\s*\\)\\s*;$");
  private static final Pattern FIELD = Pattern.compile(
      "^(?:repeated\\s+|optional\\s+)?(?:map\\s*<\\s*\\w+\\s*,\\s*[\\w.]+\\s*>|[\\w.]+)\\s+(\\w+)\\s*=\\s*\\d+\\s*(?:\\[[^\\]]*\\])?\\s*;$");
  private static final Pattern ENUM_VALUE = Pattern.compile("^(\\w+)\\s*=\\s*-?\\d+\\s*(?:\\[[^\\]]*\\])?\\s*;$");
  private static final Pattern IGNORED = Pattern.compile("^(syntax|package|import|option|reserved)\\b.*;$");

  /** Minimum number of words in a declaration's comment: enough to rule out empty or placeholder comments. */
  private static final int MIN_COMMENT_WORDS = 3;

  private enum Kind { FILE, MESSAGE, ENUM, SERVICE, ONEOF }

  private record Scope(Kind kind, String name) {}

  /** A declaration found in a source file and whether it is documented. */
  private record Declaration(String file, int line, String comment) {}

  @Test
  void everyDeclarationHasALeadingComment() throws IOException {
    Map<String, Declaration> found = new TreeMap<>();
    List<String> unrecognised = new ArrayList<>();
    for (String file : Contracts.protoFilesOnDisk()) {
      scan(file, found, unrecognised);
    }

    assertThat(unrecognised).as("lines the scanner does not understand (one declaration per line, please)").isEmpty();
    assertThat(new TreeSet<>(found.keySet()))
        .as("declarations found in the sources vs. in the generated descriptors")
        .isEqualTo(declarationsFromDescriptors());

    List<String> undocumented = new ArrayList<>();
    found.forEach((name, decl) -> {
      if (decl.comment() == null) {
        undocumented.add(decl.file() + ":" + decl.line() + " " + name + " has no // comment directly above it");
      } else if (decl.comment().trim().split("\\s+").length < MIN_COMMENT_WORDS) {
        undocumented.add(decl.file() + ":" + decl.line() + " " + name + " has a too short comment: " + decl.comment());
      }
    });
    assertThat(undocumented).isEmpty();
  }

  @Test
  void scannerFlagsAnUndocumentedField() throws IOException {
    // A self-check on the scanner with a tiny synthetic file: the field `b` has no comment.
    List<String> lines = List.of(
        "syntax = \"proto3\";",
        "package x.v1;",
        "// A message with one documented field.",
        "message M {",
        "  // The documented field, in ms.",
        "  int32 a = 1;",
        "",
        "  int32 b = 2;",
        "}");
    Map<String, Declaration> found = new TreeMap<>();
    List<String> unrecognised = new ArrayList<>();
    scanLines("synthetic.proto", lines, found, unrecognised);

    assertThat(unrecognised).isEmpty();
    assertThat(found).containsOnlyKeys("x.v1.M", "x.v1.M.a", "x.v1.M.b");
    assertThat(found.get("x.v1.M.a").comment()).isEqualTo("The documented field, in ms.");
    assertThat(found.get("x.v1.M.b").comment()).isNull();
  }

  private static void scan(String file, Map<String, Declaration> found, List<String> unrecognised) throws IOException {
    List<String> lines = Files.readAllLines(Contracts.PROTO_ROOT.resolve(file), StandardCharsets.UTF_8);
    scanLines(file, lines, found, unrecognised);
  }

  private static void scanLines(String file, List<String> lines, Map<String, Declaration> found, List<String> unrecognised) {
    Deque<Scope> scopes = new ArrayDeque<>();
    scopes.push(new Scope(Kind.FILE, ""));
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).trim();
      if (t.isEmpty() || t.startsWith("//")) {
        continue;
      }
      int lineNo = i + 1;
      String comment = commentAbove(lines, i);
      Scope scope = scopes.peek();
      Matcher m;
      if ((m = PACKAGE.matcher(t)).matches()) {
        scopes.pop();
        scopes.push(new Scope(Kind.FILE, m.group(1)));
      } else if (t.equals("}") || t.equals("};")) {
        if (scopes.size() == 1) {
          unrecognised.add(file + ":" + lineNo + " unbalanced }");
        } else {
          scopes.pop();
        }
      } else if ((m = MESSAGE.matcher(t)).matches() && scope.kind() != Kind.ENUM && scope.kind() != Kind.SERVICE) {
        String name = qualify(scope, m.group(1));
        found.put(name, new Declaration(file, lineNo, comment));
        scopes.push(new Scope(Kind.MESSAGE, name));
      } else if ((m = ENUM.matcher(t)).matches() && scope.kind() != Kind.ENUM && scope.kind() != Kind.SERVICE) {
        String name = qualify(scope, m.group(1));
        found.put(name, new Declaration(file, lineNo, comment));
        scopes.push(new Scope(Kind.ENUM, name));
      } else if ((m = SERVICE.matcher(t)).matches() && scope.kind() == Kind.FILE) {
        String name = qualify(scope, m.group(1));
        found.put(name, new Declaration(file, lineNo, comment));
        scopes.push(new Scope(Kind.SERVICE, name));
      } else if ((m = ONEOF.matcher(t)).matches() && scope.kind() == Kind.MESSAGE) {
        found.put(scope.name() + "." + m.group(1), new Declaration(file, lineNo, comment));
        scopes.push(new Scope(Kind.ONEOF, scope.name())); // oneof members belong to the message
      } else if ((m = RPC.matcher(t)).matches() && scope.kind() == Kind.SERVICE) {
        found.put(scope.name() + "." + m.group(1), new Declaration(file, lineNo, comment));
      } else if ((m = FIELD.matcher(t)).matches() && (scope.kind() == Kind.MESSAGE || scope.kind() == Kind.ONEOF)) {
        found.put(scope.name() + "." + m.group(1), new Declaration(file, lineNo, comment));
      } else if ((m = ENUM_VALUE.matcher(t)).matches() && scope.kind() == Kind.ENUM) {
        found.put(scope.name() + "." + m.group(1), new Declaration(file, lineNo, comment));
      } else if (!IGNORED.matcher(t).matches()) {
        unrecognised.add(file + ":" + lineNo + " " + t);
      }
    }
    if (scopes.size() != 1) {
      unrecognised.add(file + ": unclosed " + scopes.peek());
    }
  }

  private static String qualify(Scope scope, String name) {
    return scope.name().isEmpty() ? name : scope.name() + "." + name;
  }

  /** The text of the {@code //} comment block directly above line {@code i}, or null if there is none. */
  private static String commentAbove(List<String> lines, int i) {
    List<String> block = new ArrayList<>();
    for (int j = i - 1; j >= 0; j--) {
      String t = lines.get(j).trim();
      if (!t.startsWith("//")) {
        break;
      }
      block.add(0, t.substring(2).trim());
    }
    String text = String.join(" ", block).trim();
    return text.isEmpty() ? null : text;
  }

  /** Fully qualified names of every declaration, computed from the generated descriptors. */
  private static TreeSet<String> declarationsFromDescriptors() {
    TreeSet<String> names = new TreeSet<>();
    for (FileDescriptor file : Contracts.FILES) {
      for (EnumDescriptor e : file.getEnumTypes()) {
        addEnum(e, names);
      }
      for (ServiceDescriptor s : file.getServices()) {
        names.add(s.getFullName());
        for (MethodDescriptor method : s.getMethods()) {
          names.add(method.getFullName());
        }
      }
    }
    for (Descriptor d : Contracts.allMessages()) {
      names.add(d.getFullName());
      for (FieldDescriptor f : d.getFields()) {
        names.add(f.getFullName());
      }
      for (OneofDescriptor o : d.getRealOneofs()) {
        names.add(o.getFullName());
      }
      for (EnumDescriptor e : d.getEnumTypes()) {
        addEnum(e, names);
      }
    }
    return names;
  }

  private static void addEnum(EnumDescriptor e, TreeSet<String> names) {
    names.add(e.getFullName());
    for (EnumValueDescriptor v : e.getValues()) {
      names.add(e.getFullName() + "." + v.getName()); // scoped by enum here, unlike protoc's C++-style scoping
    }
  }
}
