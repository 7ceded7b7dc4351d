package org.steno.identity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * One audit entry as an Elastic Common Schema document on a single line, so a log shipper
 * (Filebeat, Fluent Bit) can forward the {@code steno.audit} logger to a SIEM unchanged.
 * Fields are nested objects ({@code event.action} is {@code {"event":{"action":…}}}), the
 * form ECS defines; {@code steno.*} holds what ECS has no field for.
 */
final class EcsLine {

    static final String ECS_VERSION = "8.11";
    private static final JsonFactory JSON = new JsonFactory();

    private EcsLine() {
    }

    static String of(AuditEntry e) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@timestamp", e.time().toString());
            g.writeObjectFieldStart("ecs");
            g.writeStringField("version", ECS_VERSION);
            g.writeEndObject();
            g.writeObjectFieldStart("event");
            g.writeStringField("kind", "event");
            g.writeStringField("dataset", "steno.audit");
            g.writeStringField("action", e.action());
            g.writeStringField("outcome", e.outcome() == Outcome.ALLOWED ? "success" : "failure");
            g.writeStringField("reason", e.reason());
            g.writeEndObject();
            g.writeObjectFieldStart("user");
            g.writeStringField("name", e.subject());
            g.writeArrayFieldStart("roles");
            for (String role : e.role().split(",")) {
                if (!role.isBlank()) {
                    g.writeString(role.strip());
                }
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeObjectFieldStart("source");
            g.writeStringField("address", e.address());
            g.writeEndObject();
            g.writeObjectFieldStart("steno");
            g.writeStringField("resource", e.resource());
            g.writeObjectFieldStart("audit");
            g.writeNumberField("seq", e.seq());
            g.writeStringField("hash", e.hash());
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // a StringWriter does not fail
        }
        return out.toString();
    }
}
