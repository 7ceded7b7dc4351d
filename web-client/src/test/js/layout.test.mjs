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
