package org.steno.server.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.steno.access.Action;
import org.steno.access.Resource;

/**
 * One entry of the route table: a method and a path template, and what a request to it does
 * to what. {@link HttpGuard} judges requests by this declaration, never by the raw path, so a
 * route cannot be served without one.
 *
 * @param method {@code GET}, {@code HEAD}, {@code POST} or {@code WS} (a WebSocket upgrade)
 * @param path   a Javalin template: {@code {name}} is one path segment, {@code <name>} the rest
 *               of the path (one or more segments)
 * @param on     what kind of resource the request is about
 */
public record Route(String method, String path, Action action, On on) {

    /** The kinds of resources routes act on; {@link #MEETING} routes name the meeting in {@code {id}}. */
    public enum On { SYSTEM, WEB, MEETING, ACCOUNTS, AUDIT, ARCHIVE }

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(on, "on");
        if (on == On.MEETING && !path.contains("{id}") && !path.equals("/api/meetings")) {
            throw new IllegalArgumentException("a meeting route names its meeting as {id}: " + path);
        }
    }

    /** The path parameters when {@code requestPath} (no trailing slash) fits this template, else null. */
    Map<String, String> match(String requestPath) {
        List<String> want = segments(path);
        List<String> got = segments(requestPath);
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < want.size(); i++) {
            String w = want.get(i);
            if (w.startsWith("<") && w.endsWith(">")) {
                if (i >= got.size()) {
                    return null;
                }
                params.put(w.substring(1, w.length() - 1), String.join("/", got.subList(i, got.size())));
                return params;
            }
            if (i >= got.size()) {
                return null;
            }
            if (w.startsWith("{") && w.endsWith("}")) {
                if (got.get(i).isEmpty()) {
                    return null;
                }
                params.put(w.substring(1, w.length() - 1), decoded(got.get(i)));
            } else if (!w.equals(got.get(i))) {
                return null;
            }
        }
        return want.size() == got.size() ? params : null;
    }

    /** The resource a request to this route acts on, given its path parameters. */
    Resource resource(String requestPath, Map<String, String> params) {
        return switch (on) {
            case SYSTEM -> Resource.system(requestPath.substring(1));
            case WEB -> new Resource("web", requestPath);
            case MEETING -> Resource.meeting(params.getOrDefault("id", ""));
            case ACCOUNTS -> new Resource("accounts", params.getOrDefault("username", ""));
            case AUDIT -> new Resource("audit", "");
            case ARCHIVE -> new Resource("archive", "");
        };
    }

    private static List<String> segments(String p) {
        if (p.equals("/")) {
            return List.of();
        }
        return List.of((p.startsWith("/") ? p.substring(1) : p).split("/", -1));
    }

    /**
     * A path segment as the route handlers see it (their path parameters are percent-decoded):
     * the policy must judge the meeting that is served, not its encoding ("m%31" is "m1").
     */
    private static String decoded(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment; // not decodable: no route will serve it either
        }
    }

    @Override
    public String toString() {
        return method + " " + path + " → " + action + " on " + on;
    }
}
