package org.steno.conference.media.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.steno.conference.media.TileSize;
import org.steno.conference.media.sfu.LayerSelector.Candidate;

/** Which simulcast layer a slot gets: the tile it fills, the budget, hysteresis, layers that stopped. */
class LayerSelectorTest {

    private static final long NO_LIMIT = Long.MAX_VALUE;
    private static final List<Candidate> THREE = List.of(
            new Candidate(0, 320, 180, 150_000, true),
            new Candidate(1, 640, 360, 500_000, true),
            new Candidate(2, 1280, 720, 1_500_000, true));

    @Test
    void theSmallestLayerThatFillsTheTile() {
        assertThat(LayerSelector.select(THREE, new TileSize(240, 135), NO_LIMIT, -1)).isEqualTo(0);
        assertThat(LayerSelector.select(THREE, new TileSize(320, 180), NO_LIMIT, -1)).isEqualTo(0);
        assertThat(LayerSelector.select(THREE, new TileSize(400, 225), NO_LIMIT, -1)).isEqualTo(1);
        assertThat(LayerSelector.select(THREE, new TileSize(1920, 1080), NO_LIMIT, -1)).as("none fills: the best").isEqualTo(2);
        assertThat(LayerSelector.select(THREE, null, NO_LIMIT, -1)).as("no tile reported: the best").isEqualTo(2);
        // A tall narrow tile: the width fits layer 0, the height needs layer 1 (the page crops to fill).
        assertThat(LayerSelector.select(THREE, new TileSize(200, 300), NO_LIMIT, -1)).isEqualTo(1);
    }

    @Test
    void theBudgetTakesItLower() {
        assertThat(LayerSelector.select(THREE, null, 600_000, 2)).isEqualTo(1);
        assertThat(LayerSelector.select(THREE, null, 100_000, 2)).as("the lowest even over budget").isEqualTo(0);
    }

    @Test
    void goingUpNeedsHeadroomStayingDoesNot() {
        // 500 kb/s on a 600 kb/s budget: kept while forwarded, but not taken from below (needs ≤ 450 kb/s).
        assertThat(LayerSelector.select(THREE, null, 600_000, 1)).isEqualTo(1);
        assertThat(LayerSelector.select(THREE, null, 600_000, 0)).isEqualTo(0);
        assertThat(LayerSelector.select(THREE, null, 700_000, 0)).isEqualTo(1);
    }

    @Test
    void onlyLayersThatSendCount() {
        List<Candidate> topStopped = List.of(THREE.get(0), THREE.get(1), new Candidate(2, 1280, 720, 0, false));
        assertThat(LayerSelector.select(topStopped, null, NO_LIMIT, 2)).isEqualTo(1);
        List<Candidate> none = List.of(new Candidate(0, 0, 0, 0, false), new Candidate(1, 0, 0, 0, false));
        assertThat(LayerSelector.select(none, null, NO_LIMIT, -1)).isEqualTo(-1);
    }

    @Test
    void beforeAnyKeyframeTheOffersOrderRanksThem() {
        List<Candidate> unknown = List.of(new Candidate(0, 0, 0, 100_000, true), new Candidate(1, 0, 0, 300_000, true),
                new Candidate(2, 0, 0, 900_000, true));
        assertThat(LayerSelector.select(unknown, null, NO_LIMIT, -1)).isEqualTo(2);
        assertThat(LayerSelector.select(unknown, new TileSize(100, 50), 400_000, -1)).isEqualTo(1);
    }
}
