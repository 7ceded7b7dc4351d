package org.steno.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditExportTest {

    /** A valid chain whose text holds everything CSV must quote. Built directly: AuditLog would escape CR/LF. */
    private static List<AuditEntry> awkwardChain() {
        String[][] texts = {
                {"smith, john", "he said \"hi\"", "line one\r\nline two", "trailing\n"},
                {"\"", ",", "\"\"", ""},
                {"plain", "role", "ünïcødé ✓", "a\rb"},
        };
        List<AuditEntry> out = new ArrayList<>();
        String prev = AuditEntry.GENESIS;
        for (int i = 0; i < texts.length; i++) {
            String[] t = texts[i];
            Instant time = Instant.parse("2025-03-01T10:00:00Z").plusMillis(1001L * i);
            Outcome outcome = i == 1 ? Outcome.DENIED : Outcome.ALLOWED;
            String hash = AuditChain.hash(i + 1, time, t[0], t[1], "192.0.2.1", "JOIN", t[2], outcome, t[3], prev);
            out.add(new AuditEntry(i + 1, time, t[0], t[1], "192.0.2.1", "JOIN", t[2], outcome, t[3], prev, hash));
            prev = hash;
        }
        assertThat(AuditChain.verify(out).ok()).isTrue();
        return out;
    }

    @Test
    void csvQuotesCommasQuotesAndNewlinesAndReadsBackExactly() throws IOException {
        List<AuditEntry> entries = awkwardChain();
        StringWriter csv = new StringWriter();
        AuditExport.writeCsv(entries, csv);
        String text = csv.toString();

        assertThat(text).startsWith("seq,time,subject,role,address,action,resource,outcome,reason,prevHash,hash\r\n");
        assertThat(text).contains("1,2025-03-01T10:00:00Z,\"smith, john\",\"he said \"\"hi\"\"\",192.0.2.1,JOIN,"
                + "\"line one\r\nline two\",ALLOWED,\"trailing\n\"," + AuditEntry.GENESIS + ",");
        assertThat(text).contains("\r\n2,2025-03-01T10:00:01.001Z,\"\"\"\",\",\",192.0.2.1,JOIN,\"\"\"\"\"\",DENIED,,");
        assertThat(text).contains(",plain,role,192.0.2.1,JOIN,ünïcødé ✓,ALLOWED,\"a\rb\",");
        assertThat(text).endsWith("\r\n");

        List<AuditEntry> back = AuditExport.readCsv(new StringReader(text));
        assertThat(back).containsExactlyElementsOf(entries);
        assertThat(AuditChain.verify(back).ok()).as("an export verifies offline").isTrue();
    }

    @Test
    void jsonRoundTripsTheSameEntries() throws IOException {
        List<AuditEntry> entries = awkwardChain();
        StringWriter json = new StringWriter();
        AuditExport.writeJson(entries, json);
        assertThat(json.toString()).startsWith("[").contains("\"subject\" : \"smith, john\"")
                .contains("\"resource\" : \"line one\\r\\nline two\"").contains("\"seq\" : 2");

        List<AuditEntry> back = AuditExport.readJson(new StringReader(json.toString()));
        assertThat(back).containsExactlyElementsOf(entries);
        assertThat(AuditChain.verify(back).ok()).isTrue();
    }

    @Test
    void anExportEditedAfterwardsFailsOfflineVerification() throws IOException {
        StringWriter csv = new StringWriter();
        AuditExport.writeCsv(awkwardChain(), csv);
        String edited = csv.toString().replace("ünïcødé ✓", "unicode");
        VerifyResult r = AuditChain.verify(AuditExport.readCsv(new StringReader(edited)));
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).isEqualTo("entry 3 was edited: its hash does not match its content");
    }

    @Test
    void emptyExportsAndMalformedInput() throws IOException {
        StringWriter csv = new StringWriter();
        AuditExport.writeCsv(List.of(), csv);
        assertThat(csv.toString()).isEqualTo(String.join(",", AuditExport.FIELDS) + "\r\n");
        assertThat(AuditExport.readCsv(new StringReader(csv.toString()))).isEmpty();

        StringWriter json = new StringWriter();
        AuditExport.writeJson(List.of(), json);
        assertThat(AuditExport.readJson(new StringReader(json.toString()))).isEmpty();

        assertThatThrownBy(() -> AuditExport.readCsv(new StringReader("a,b\r\n")))
                .isInstanceOf(IOException.class).hasMessageStartingWith("not an audit CSV export");
        assertThatThrownBy(() -> AuditExport.readCsv(new StringReader(csv + "1,\"unterminated\r\n")))
                .isInstanceOf(IOException.class).hasMessage("the CSV ends inside a quoted field");
    }

    @Test
    void parserHandlesLfOnlyAndEmptyQuotedFields() throws IOException {
        assertThat(AuditExport.parseCsv(new StringReader("a,\"\",\"x\ny\"\nb,c,d")))
                .containsExactly(List.of("a", "", "x\ny"), List.of("b", "c", "d"));
    }
}
