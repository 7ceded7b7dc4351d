// Simulcast from the page: the camera is sent as three VP8 layers (rids q, h, f at a quarter,
// half and full resolution) when it is large enough, and the page tells the SFU how large each
// receive tile is, so it forwards the smallest layer that fills it (tile-sizes). No DOM:
// room.js measures the tiles; node:test drives this with fakes.

/** The layers, lowest first: the SFU reads their order and their keyframes' sizes. */
export const LAYERS = Object.freeze([
  Object.freeze({ rid: 'q', scaleResolutionDownBy: 4 }),
  Object.freeze({ rid: 'h', scaleResolutionDownBy: 2 }),
  Object.freeze({ rid: 'f', scaleResolutionDownBy: 1 }),
]);

/**
 * What the page asks of the camera: 960×540 if it has it (16:9 like the tiles, whose largest is
 * about 450 CSS pixels wide, 900 on a HiDPI screen), whatever it has if not. Chromium sends all
 * three layers from 540p up (two at 480p), and 720p would cost 1.8× the encoding for nothing a
 * tile shows.
 */
export const CAMERA = Object.freeze({ width: { ideal: 960 }, height: { ideal: 540 } });

/** Below this camera height a quarter layer is too small to be worth encoding: one layer. */
export const MIN_SIMULCAST_HEIGHT = 360;

/**
 * The sendEncodings for a camera with these settings (MediaStreamTrack.getSettings()), or null
 * for a single layer (small camera, or no size known).
 */
export function cameraEncodings(settings) {
  const h = Math.min(Number(settings && settings.height) || 0, Number(settings && settings.width) || 0);
  if (h < MIN_SIMULCAST_HEIGHT) {
    return null;
  }
  return LAYERS.map((l) => ({ ...l }));
}

/** Tile sizes in device pixels, rounded: { mid: [width, height] } for tiles that show a video. */
export function tileSizes(tiles, devicePixelRatio = 1) {
  const out = {};
  for (const t of tiles) {
    if (t.mid == null || !(t.width > 0) || !(t.height > 0)) {
      continue;
    }
    out[t.mid] = [Math.round(t.width * devicePixelRatio), Math.round(t.height * devicePixelRatio)];
  }
  return out;
}

/** True when the set of mids differs or a side moved by more than 10 %: worth telling the SFU. */
export function tileSizesChanged(before, after) {
  const a = Object.keys(before || {});
  const b = Object.keys(after || {});
  if (a.length !== b.length || b.some((mid) => !(mid in before))) {
    return true;
  }
  return b.some((mid) => [0, 1].some((i) => Math.abs(after[mid][i] - before[mid][i]) > 0.1 * before[mid][i]));
}

/**
 * Sends `tile-sizes` when they changed, at most one message per `intervalMs` (a resize sends
 * one message at its end, not one per frame).
 */
export class TileSizeReporter {
  constructor(send, { intervalMs = 500, now = () => Date.now(), setTimer = setTimeout } = {}) {
    this.send = send;
    this.intervalMs = intervalMs;
    this.now = now;
    this.setTimer = setTimer;
    this.sent = {};
    this.sentAt = -Infinity;
    this.pending = null;
    this.timer = null;
    this.messages = 0;
  }

  report(sizes) {
    this.pending = sizes;
    if (this.timer) {
      return;
    }
    const wait = this.sentAt + this.intervalMs - this.now();
    if (wait > 0) {
      this.timer = this.setTimer(() => {
        this.timer = null;
        this.flush();
      }, wait);
      return;
    }
    this.flush();
  }

  flush() {
    const sizes = this.pending;
    this.pending = null;
    if (!sizes || !tileSizesChanged(this.sent, sizes)) {
      return;
    }
    this.sent = sizes;
    this.sentAt = this.now();
    this.messages += 1;
    this.send({ type: 'tile-sizes', tiles: sizes });
  }

  /** A new peer connection: the SFU knows nothing yet. */
  reset() {
    this.sent = {};
    this.sentAt = -Infinity;
  }
}
