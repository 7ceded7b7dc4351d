import { test } from 'node:test';
import assert from 'node:assert/strict';

import { gridFor } from '../../main/resources/web/layout.js';

test('a laptop window gets a grid that grows with the number of people', () => {
  assert.deepEqual(gridFor(1, 1280, 720), { cols: 1, rows: 1 });
  assert.deepEqual(gridFor(2, 1280, 720), { cols: 2, rows: 1 });
  assert.deepEqual(gridFor(6, 1280, 720), { cols: 3, rows: 2 });
  const twelve = gridFor(12, 1280, 720);
  assert.equal(twelve.cols * twelve.rows >= 12, true);
  assert.equal(twelve.cols, 4);
});

test('a phone in portrait stacks tiles in one or two columns', () => {
  assert.deepEqual(gridFor(2, 390, 844), { cols: 1, rows: 2 });
  assert.ok(gridFor(6, 390, 844).cols <= 2);
});

test('nonsense sizes still give a grid', () => {
  assert.deepEqual(gridFor(0, 0, 0), { cols: 1, rows: 1 });
  assert.deepEqual(gridFor(-3, 100, 100), { cols: 1, rows: 1 });
});

import { tilesPerPage, pageOf, speakerView, roomView, stripLength, MIN_TILE_WIDTH } from '../../main/resources/web/layout.js';

const people = (n, extra = {}) => Array.from({ length: n }, (_, i) => ({ id: `p${i}`, self: i === 0, videoMid: i > 0 && i < 4 ? String(i) : null, pinned: false, ...extra[i] }));

test('a page holds as many tiles as stay recognisable: more on a laptop than on a phone', () => {
  const laptop = tilesPerPage(1280, 720);
  const phone = tilesPerPage(390, 844);
  assert.ok(laptop >= 12, `laptop ${laptop}`);
  assert.ok(phone >= 2 && phone < laptop, `phone ${phone}`);
  assert.equal(tilesPerPage(100, 100), 1);
  assert.ok(tilesPerPage(3840, 2160) <= 25);
});

test('pages cut the list in order and a page past the end shows the last one', () => {
  const list = people(30);
  const first = pageOf(list, 0, 12);
  assert.equal(first.pages, 3);
  assert.deepEqual(first.shown.map((t) => t.id), list.slice(0, 12).map((t) => t.id));
  const last = pageOf(list, 9, 12);
  assert.equal(last.page, 2);
  assert.deepEqual(last.shown.map((t) => t.id), ['p24', 'p25', 'p26', 'p27', 'p28', 'p29']);
  assert.deepEqual(pageOf([], 0, 12), { shown: [], page: 0, pages: 1 });
});

test('the speaker view shows the pinned person, else the speaker, else someone on video; never you unless alone', () => {
  assert.equal(speakerView(people(5), 'p4').main.id, 'p4');
  assert.equal(speakerView(people(5, { 2: { pinned: true } }), 'p4').main.id, 'p2');
  assert.equal(speakerView(people(5), 'p0').main.id, 'p1'); // you speaking: the others stay large
  assert.equal(speakerView(people(1), null).main.id, 'p0');
  const v = speakerView(people(4), 'p3');
  assert.deepEqual(v.strip.map((t) => t.id), ['p0', 'p1', 'p2']);
});

test('the room view: a grid page, or the speaker first and a page of the strip', () => {
  const grid = roomView(people(30), { layout: 'grid', page: 0, width: 1280, height: 720 });
  assert.equal(grid.layout, 'grid');
  assert.ok(grid.pages >= 2);
  assert.ok(grid.cols * grid.rows >= grid.shown.length);
  const speaker = roomView(people(30), { layout: 'speaker', page: 1, width: 1280, height: 720, dominantSpeaker: 'p7' });
  assert.equal(speaker.shown[0].id, 'p7');
  assert.equal(speaker.page, 1);
  assert.ok(!speaker.shown.slice(1).some((t) => t.id === 'p7'));
  assert.equal(speaker.shown.length - 1, stripLength(1280));
  assert.ok(stripLength(1280) >= 6 && stripLength(1280) * MIN_TILE_WIDTH <= 1280);
  assert.ok(stripLength(390) >= 2 && stripLength(390) * MIN_TILE_WIDTH <= 390);
  assert.equal(roomView(people(1), { layout: 'speaker', page: 0, width: 1280, height: 720 }).layout, 'grid');
});
