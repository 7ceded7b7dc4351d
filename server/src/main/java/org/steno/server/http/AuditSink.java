package org.steno.server.http;

import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;

/** Where the guard reports its decisions on actions worth auditing (everything but viewing and health). */
@FunctionalInterface
public interface AuditSink {

    AuditSink NONE = (caller, action, resource, decision, request) -> { };

    /** @param request what was asked, e.g. {@code GET /api/meetings/…/archive/recordings/r/mixed.ogg} (escaped by the log) */
    void decided(Caller caller, Action action, Resource resource, Decision decision, String request);
}
