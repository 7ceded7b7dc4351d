package org.steno.server.http;

import io.javalin.http.Context;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A request's JSON object body, or a 400 that says what is wrong with it. */
final class JsonBody {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonBody() {
    }

    /** The body as a JSON object; null after answering 400 when it is not one. */
    static JsonNode object(Context ctx) {
        try {
            JsonNode n = JSON.readTree(ctx.body());
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (JacksonException e) {
            // answered below
        }
        bad(ctx, "the body must be a JSON object");
        return null;
    }

    static void bad(Context ctx, String message) {
        ctx.status(400).json(Map.of("error", message));
    }
}
