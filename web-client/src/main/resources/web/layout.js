// The room's layout: the grid's columns and rows, how many tiles a page holds, which page shows
// whom, and the speaker view (one large tile and a strip). Pure, so node:test checks it.

/** Below this width (CSS px) a tile's face is no longer recognisable: more people go to a next page. */
export const MIN_TILE_WIDTH = 160;
/** However large the screen, a page shows at most this many tiles (a 5 × 5 wall). */
export const MAX_TILES_PER_PAGE = 25;
/** Height the header, the pager and the control bar take from the window (room.css; two rows of controls on a phone). */
const CHROME_HEIGHT = 220;
/** A tile's name line, padding and border under its 16:9 picture (measured in Chromium: 46 px). */
const CAPTION_HEIGHT = 46;

function best(count, width, height) {
  const w = Math.max(1, width - 32);
  const h = Math.max(1, height - CHROME_HEIGHT);
  let found = { cols: 1, rows: count, tileWidth: 0 };
  for (let cols = 1; cols <= count; cols += 1) {
    const rows = Math.ceil(count / cols);
    const tileWidth = Math.min(w / cols, ((h / rows) - CAPTION_HEIGHT) * (16 / 9));
    if (tileWidth > found.tileWidth + 0.5) {
      found = { cols, rows, tileWidth };
    }
  }
  return found;
}

/**
 * Columns and rows for n tiles in a window of width × height pixels: tries every column count
 * and keeps the one whose tiles are largest (a phone in portrait gets one or two columns, a
 * wide screen more). The height left for tiles excludes the header and the control bar.
 */
export function gridFor(n, width, height) {
  const g = best(Math.max(1, n | 0), width, height);
  return { cols: g.cols, rows: g.rows };
}

/** How many tiles one page holds in this window: as many as stay MIN_TILE_WIDTH wide, at least one. */
export function tilesPerPage(width, height) {
  let fit = 1;
  for (let n = 2; n <= MAX_TILES_PER_PAGE; n += 1) {
    if (best(n, width, height).tileWidth >= MIN_TILE_WIDTH) {
      fit = n;
    }
  }
  return fit;
}

/**
 * One page of tiles (page counts from 0 and is clamped to the pages there are): the list is
 * already in tiles()'s order, so you and the people on a video slot come first.
 */
export function pageOf(list, page, perPage) {
  const size = Math.max(1, perPage | 0);
  const pages = Math.max(1, Math.ceil(list.length / size));
  const at = Math.min(Math.max(0, page | 0), pages - 1);
  return { shown: list.slice(at * size, at * size + size), page: at, pages };
}

/**
 * The speaker view: one tile large — whoever is pinned, else the person speaking, else the
 * first other person on a video slot, else the first other — and the rest in a strip, in
 * their order. Yourself only when alone.
 */
export function speakerView(list, dominantSpeaker) {
  const others = list.filter((t) => !t.self);
  const main = others.find((t) => t.pinned)
    || others.find((t) => t.id === dominantSpeaker)
    || others.find((t) => t.videoMid)
    || others[0]
    || list[0]
    || null;
  return { main, strip: list.filter((t) => t !== main) };
}

/**
 * How many strip tiles fit side by side under the speaker, each at least MIN_TILE_WIDTH wide: the
 * strip takes the window's width (the speaker's tile above it is as large as the height allows).
 */
export function stripLength(width) {
  return Math.max(1, Math.min(8, Math.floor(Math.max(0, width - 32) / (MIN_TILE_WIDTH + 8))));
}

/**
 * What the room shows: in `grid`, a page of tiles and its grid; in `speaker`, the large tile
 * then a page of the strip. `shown` is in display order (the large tile first).
 */
export function roomView(list, { layout, page, width, height, dominantSpeaker }) {
  if (layout === 'speaker' && list.length > 1) {
    const { main, strip } = speakerView(list, dominantSpeaker);
    const per = stripLength(width);
    const p = pageOf(strip, page, per);
    return { layout: 'speaker', shown: [main, ...p.shown], page: p.page, pages: p.pages, perPage: per,
      cols: Math.max(1, p.shown.length), rows: 2 };
  }
  const per = tilesPerPage(width, height);
  const p = pageOf(list, page, per);
  const g = gridFor(p.shown.length, width, height);
  return { layout: 'grid', shown: p.shown, page: p.page, pages: p.pages, perPage: per, cols: g.cols, rows: g.rows };
}
