package org.steno.identity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Audit entries as files for auditors: CSV (RFC 4180) for spreadsheets, a JSON array for
 * tools. Both carry every field, hashes included, so an export can be re-verified offline
 * with {@link AuditChain#verify(Iterable)} after {@link #readCsv}/{@link #readJson}.
 *
 * <p>Values are written exactly as stored (no spreadsheet-formula neutralising such as a
 * leading {@code '}), because changing them would break the hashes; see the README.
 */
public final class AuditExport {

    /** Column order of the CSV and field names of the JSON objects. */
    public static final List<String> FIELDS = List.of("seq", "time", "subject", "role", "address", "action",
            "resource", "outcome", "reason", "prevHash", "hash");

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuditExport() {
    }

    /** A header row, then one row per entry; CRLF line ends, quoting only where needed. */
    public static void writeCsv(Iterable<AuditEntry> entries, Writer out) throws IOException {
        writeRow(out, FIELDS);
        for (AuditEntry e : entries) {
            writeRow(out, values(e));
        }
        out.flush();
    }

    /** Reads what {@link #writeCsv} wrote (any RFC 4180 file with that header). */
    public static List<AuditEntry> readCsv(Reader in) throws IOException {
        List<List<String>> rows = parseCsv(in);
        if (rows.isEmpty() || !rows.get(0).equals(FIELDS)) {
            throw new IOException("not an audit CSV export: the header must be " + String.join(",", FIELDS));
        }
        List<AuditEntry> out = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            if (r.size() != FIELDS.size()) {
                throw new IOException("row " + (i + 1) + " has " + r.size() + " fields, expected " + FIELDS.size());
            }
            out.add(entry(r));
        }
        return out;
    }

    /** A JSON array of objects with the fields of {@link #FIELDS}; time as ISO-8601 UTC. */
    public static void writeJson(Iterable<AuditEntry> entries, Writer out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartArray();
            for (AuditEntry e : entries) {
                List<String> values = values(e);
                g.writeStartObject();
                g.writeNumberField("seq", e.seq());
                for (int i = 1; i < FIELDS.size(); i++) {
                    g.writeStringField(FIELDS.get(i), values.get(i));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }

    public static List<AuditEntry> readJson(Reader in) throws IOException {
        JsonNode root = MAPPER.readTree(in);
        if (root == null || !root.isArray()) {
            throw new IOException("not an audit JSON export: expected an array of entries");
        }
        List<AuditEntry> out = new ArrayList<>();
        for (JsonNode node : root) {
            List<String> values = new ArrayList<>();
            for (String field : FIELDS) {
                JsonNode v = node.get(field);
                if (v == null || v.isNull()) {
                    throw new IOException("entry " + (out.size() + 1) + " has no field " + field);
                }
                values.add(v.asText());
            }
            out.add(entry(values));
        }
        return out;
    }

    private static List<String> values(AuditEntry e) {
        return List.of(Long.toString(e.seq()), e.time().toString(), e.subject(), e.role(), e.address(), e.action(),
                e.resource(), e.outcome().name(), e.reason(), e.prevHash(), e.hash());
    }

    private static AuditEntry entry(List<String> v) throws IOException {
        try {
            return new AuditEntry(Long.parseLong(v.get(0)), Instant.parse(v.get(1)), v.get(2), v.get(3), v.get(4),
                    v.get(5), v.get(6), Outcome.valueOf(v.get(7)), v.get(8), v.get(9), v.get(10));
        } catch (RuntimeException e) {
            throw new IOException("bad audit entry " + v + ": " + e.getMessage(), e);
        }
    }

    private static void writeRow(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quote(fields.get(i)));
        }
        out.write("\r\n");
    }

    /** RFC 4180: a field holding a comma, quote, CR or LF is quoted, its quotes doubled. */
    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\r') < 0 && field.indexOf('\n') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /** RFC 4180 records; line breaks inside quotes belong to the field; CRLF or LF ends a record. */
    static List<List<String>> parseCsv(Reader source) throws IOException {
        // One character of look-ahead (after a quote, after CR) needs mark/reset.
        Reader in = source.markSupported() ? source : new BufferedReader(source);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false; // something read since the last record end
        int c;
        while ((c = in.read()) != -1) {
            any = true;
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        if (next == -1) {
                            break;
                        }
                        c = next; // handled as unquoted below
                    }
                } else {
                    field.append((char) c);
                    continue;
                }
                if (quoted) {
                    continue;
                }
            }
            if (c == '"') {
                if (field.length() > 0) {
                    throw new IOException("a quote inside an unquoted CSV field (record " + (rows.size() + 1) + ")");
                }
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' || c == '\n') {
                if (c == '\r') {
                    in.mark(1);
                    if (in.read() != '\n') {
                        in.reset();
                    }
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                any = false;
            } else {
                field.append((char) c);
            }
        }
        if (quoted) {
            throw new IOException("the CSV ends inside a quoted field");
        }
        if (any) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
