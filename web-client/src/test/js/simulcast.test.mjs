// Simulcast from the page (simulcast.js): three layers for a camera large enough, and the
// tile sizes sent to the SFU only when they changed, at most one message per interval.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  cameraEncodings, tileSizes, tileSizesChanged, TileSizeReporter, LAYERS, CAMERA,
} from '../../main/resources/web/simulcast.js';

test('a 720p or 480p camera sends q, h and f at a quarter, half and full size', () => {
  for (const settings of [{ width: 1280, height: 720 }, { width: 640, height: 480 }, { width: 480, height: 640 }]) {
    assert.deepEqual(cameraEncodings(settings), [
      { rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f', scaleResolutionDownBy: 1 }]);
  }
  assert.equal(LAYERS.length, 3);
  assert.deepEqual(CAMERA, { width: { ideal: 960 }, height: { ideal: 540 } });
});

test('a small camera or one of unknown size sends one layer', () => {
  assert.equal(cameraEncodings({ width: 320, height: 240 }), null);
  assert.equal(cameraEncodings({}), null);
  assert.equal(cameraEncodings(null), null);
});

test('tile sizes are in device pixels, only for tiles that show a video', () => {
  const sizes = tileSizes([
    { mid: '3', width: 240.4, height: 135.2 },
    { mid: '4', width: 0, height: 0 },
    { mid: null, width: 100, height: 50 },
  ], 2);
  assert.deepEqual(sizes, { 3: [481, 270] });
});

test('a change is a new or gone mid or a side that moved by more than 10 %', () => {
  assert.equal(tileSizesChanged({}, {}), false);
  assert.equal(tileSizesChanged({}, { 3: [240, 135] }), true);
  assert.equal(tileSizesChanged({ 3: [240, 135] }, { 3: [250, 140] }), false);
  assert.equal(tileSizesChanged({ 3: [240, 135] }, { 3: [480, 270] }), true);
  assert.equal(tileSizesChanged({ 3: [240, 135] }, { 4: [240, 135] }), true);
  assert.equal(tileSizesChanged({ 3: [240, 135], 4: [1, 1] }, { 3: [240, 135] }), true);
});

test('the reporter sends changes only, at most one message per interval, the latest one', () => {
  const sent = [];
  let now = 0;
  const timers = [];
  const r = new TileSizeReporter((m) => sent.push(m), {
    intervalMs: 500, now: () => now, setTimer: (fn, ms) => timers.push({ fn, at: now + ms }),
  });
  r.report({ 3: [240, 135] });
  assert.deepEqual(sent, [{ type: 'tile-sizes', tiles: { 3: [240, 135] } }]);
  r.report({ 3: [240, 135] }); // the same again: nothing
  now = 100;
  r.report({ 3: [480, 270] }); // inside the interval: later
  r.report({ 3: [960, 540] }); // replaces the pending one, no second timer
  assert.equal(sent.length, 1);
  assert.equal(timers.length, 1);
  now = timers[0].at;
  timers[0].fn();
  assert.deepEqual(sent[1], { type: 'tile-sizes', tiles: { 3: [960, 540] } });
  assert.equal(r.messages, 2);
  r.reset();
  now += 1000;
  r.report({ 3: [960, 540] }); // a new peer connection: the SFU must hear it again
  assert.equal(sent.length, 3);
});
