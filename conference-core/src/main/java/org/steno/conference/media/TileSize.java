package org.steno.conference.media;

/** The size, in device pixels, of the tile a page shows one receive slot in (simulcast picks a layer that fills it). */
public record TileSize(int width, int height) {
    public TileSize {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("a tile size is not negative: " + width + "x" + height);
        }
    }
}
