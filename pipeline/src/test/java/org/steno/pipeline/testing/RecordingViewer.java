package org.steno.pipeline.testing;

import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.steno.proto.captions.v1.CaptionEvent;
import org.steno.subtitles.fanout.CaptionViewer;

/** A caption viewer that keeps every message, parsed back from the JSON a browser would get. */
public final class RecordingViewer implements CaptionViewer {

    private final List<CaptionEvent> events = new ArrayList<>();
    private final List<Long> arrivedAtMs = new ArrayList<>();
    private final List<org.steno.proto.captions.v1.CaptionControl> controls = new ArrayList<>();

    @Override
    public void send(String json, Consumer<Throwable> done) {
        long now = System.currentTimeMillis();
        if (json.contains("\"segmentId\"")) {
            CaptionEvent.Builder b = CaptionEvent.newBuilder();
            try {
                JsonFormat.parser().merge(json, b);
            } catch (Exception e) {
                done.accept(e);
                return;
            }
            synchronized (this) {
                events.add(b.build());
                arrivedAtMs.add(now);
            }
        } else if (json.contains("\"enabled\"")) {
            org.steno.proto.captions.v1.CaptionControl.Builder c = org.steno.proto.captions.v1.CaptionControl.newBuilder();
            try {
                JsonFormat.parser().merge(json, c);
            } catch (Exception e) {
                done.accept(e);
                return;
            }
            synchronized (this) {
                controls.add(c.build());
            }
        }
        done.accept(null);
    }

    @Override
    public void close(String reason) {
    }

    public synchronized List<CaptionEvent> events() {
        return new ArrayList<>(events);
    }

    /** The captions on/off notices received, in order. */
    public synchronized List<org.steno.proto.captions.v1.CaptionControl> controls() {
        return new ArrayList<>(controls);
    }

    public synchronized List<Long> arrivals() {
        return new ArrayList<>(arrivedAtMs);
    }
}
