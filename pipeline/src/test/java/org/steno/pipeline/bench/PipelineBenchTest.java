package org.steno.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.Test;
import org.steno.proto.captions.v1.CaptionEvent;
import org.steno.proto.captions.v1.CaptionKind;
import org.steno.proto.captions.v1.CaptionWord;

/** The bench viewer's JSON scan agrees with a real parse of what the fan-out sends. */
class PipelineBenchTest {

    static final JsonFormat.Printer FANOUT_JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    @Test
    void lastWordEndIsTheLastWordsNotTheCaptionsMediaEnd() throws Exception {
        CaptionEvent c = CaptionEvent.newBuilder().setMeetingId("m").setSegmentId("t1/0-0").setKind(CaptionKind.CAPTION_KIND_INTERIM)
                .setText("alpha \"]bravo")
                .addWords(CaptionWord.newBuilder().setWord("alpha").setMediaStart(Durations.fromMillis(1000))
                        .setMediaEnd(Durations.fromMillis(1400)))
                .addWords(CaptionWord.newBuilder().setWord("\"]bravo").setMediaStart(Durations.fromMillis(1400))
                        .setMediaEnd(Durations.fromMillis(1780)))
                .setMediaStart(Durations.fromMillis(1000)).setMediaEnd(Durations.fromMillis(9000)).build();
        assertThat(PipelineBench.lastWordEndMs(FANOUT_JSON.print(c))).isEqualTo(1780);
        assertThat(PipelineBench.lastWordEndMs(FANOUT_JSON.print(c.toBuilder().clearWords().build()))).isEqualTo(-1);
    }
}
