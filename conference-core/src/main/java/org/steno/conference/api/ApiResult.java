package org.steno.conference.api;

import java.util.Map;

/** An HTTP answer independent of the web framework: status and a JSON body. */
public record ApiResult(int status, Map<String, Object> body) {

    public static ApiResult ok(Map<String, Object> body) {
        return new ApiResult(200, body);
    }

    public static ApiResult error(int status, String message) {
        return new ApiResult(status, Map.of("error", message));
    }
}
