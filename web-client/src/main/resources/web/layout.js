// The room's grid: how many columns and rows the tiles take, so that 16:9 tiles are as large
// as the window allows. Pure, so node:test checks it.

/**
 * Columns and rows for n tiles in a window of width × height pixels: tries every column count
 * and keeps the one whose tiles are largest (a phone in portrait gets one or two columns, a
 * wide screen more). The height left for tiles excludes the header and the control bar.
 */
export function gridFor(n, width, height) {
  const count = Math.max(1, n | 0);
  const w = Math.max(1, width - 32);
  const h = Math.max(1, height - 208);
  let best = { cols: 1, rows: count, tileWidth: 0 };
  for (let cols = 1; cols <= count; cols += 1) {
    const rows = Math.ceil(count / cols);
    // Each tile is 16:9 plus a caption line (~28 px).
    const tileWidth = Math.min(w / cols, ((h / rows) - 28) * (16 / 9));
    if (tileWidth > best.tileWidth + 0.5) {
      best = { cols, rows, tileWidth };
    }
  }
  return { cols: best.cols, rows: best.rows };
}
