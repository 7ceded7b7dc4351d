// Tests for the pure logic of captions.js (node's built-in runner, no dependencies).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  initialCaptions, applyCaption, visibleLines, parseDuration, captionsUrl, MAX_CHARS, CAPTION_SCALES, nextCaptionScale, captionScale,
} from '../../main/resources/web/captions.js';

const ev = (segmentId, revision, kind, text, speaker = 'Alice Martin', start = '1.000s') => ({
  meetingId: 'm1', segmentId, revision, kind, text, speakerDisplayName: speaker, mediaStart: start,
});

test('interim is replaced in place by later revisions and by the final', () => {
  let s = initialCaptions();
  s = applyCaption(s, ev('t1/0-0', 0, 'CAPTION_KIND_INTERIM', 'hello'));
  s = applyCaption(s, ev('t1/0-0', 1, 'CAPTION_KIND_INTERIM', 'hello there'));
  s = applyCaption(s, ev('t1/0-0', 2, 'CAPTION_KIND_FINAL', 'Hello there.'));
  assert.deepEqual(visibleLines(s), [{ id: 't1/0-0', speaker: 'Alice Martin', text: 'Hello there.', final: true }]);
});

test('a lower or equal revision is ignored (revision 0 is omitted in JSON)', () => {
  let s = initialCaptions();
  s = applyCaption(s, ev('a', 3, 'CAPTION_KIND_FINAL', 'final'));
  s = applyCaption(s, ev('a', 2, 'CAPTION_KIND_INTERIM', 'late interim'));
  s = applyCaption(s, { meetingId: 'm1', segmentId: 'b', kind: 'CAPTION_KIND_INTERIM', text: 'rev zero', mediaStart: '2s' });
  assert.deepEqual(visibleLines(s).map((l) => l.text), ['final', 'rev zero']);
});

test('at most two lines, in media order, each with its speaker', () => {
  let s = initialCaptions();
  s = applyCaption(s, ev('a', 0, 'CAPTION_KIND_FINAL', 'one', 'Alice', '1s'));
  s = applyCaption(s, ev('c', 0, 'CAPTION_KIND_INTERIM', 'three', 'Carol', '5s'));
  s = applyCaption(s, ev('b', 0, 'CAPTION_KIND_FINAL', 'two', 'Bob', '3s'));
  assert.deepEqual(visibleLines(s).map((l) => `${l.speaker}: ${l.text}`), ['Bob: two', 'Carol: three']);
});

test('retracted segment disappears; captions off clears the overlay', () => {
  let s = initialCaptions();
  s = applyCaption(s, ev('a', 0, 'CAPTION_KIND_INTERIM', 'uh'));
  s = applyCaption(s, ev('a', 1, 'CAPTION_KIND_RETRACTED', ''));
  assert.equal(visibleLines(s).length, 0);
  s = applyCaption(s, ev('b', 0, 'CAPTION_KIND_FINAL', 'kept'));
  s = applyCaption(s, { meetingId: 'm1', languageCode: '' });
  assert.equal(s.enabled, false);
  assert.equal(visibleLines(s).length, 0);
});

test('long text keeps its end, memory stays bounded, garbage is ignored', () => {
  let s = initialCaptions();
  s = applyCaption(s, ev('long', 0, 'CAPTION_KIND_INTERIM', 'x'.repeat(300)));
  assert.equal(visibleLines(s)[0].text.length, MAX_CHARS);
  for (let i = 0; i < 100; i++) {
    s = applyCaption(s, ev(`s${i}`, 0, 'CAPTION_KIND_FINAL', `line ${i}`, 'A', `${i + 10}s`));
  }
  assert.ok(s.segments.size <= 8);
  assert.equal(applyCaption(s, null), s);
  assert.equal(applyCaption(s, 'nope'), s);
});

test('durations and socket URL', () => {
  assert.equal(parseDuration('83.240s'), 83240);
  assert.equal(parseDuration(undefined), 0);
  assert.equal(captionsUrl('abc', { protocol: 'https:', host: 'x.example' }), 'wss://x.example/ws/meetings/abc/captions');
  assert.equal(captionsUrl('abc', { protocol: 'http:', host: 'localhost:8080' }), 'ws://localhost:8080/ws/meetings/abc/captions');
});

test('the caption size cycles through the sizes a viewer may choose, and a stored nonsense is the default', () => {
  const seen = [];
  let s = 1;
  for (let i = 0; i < CAPTION_SCALES.length; i++) {
    s = nextCaptionScale(s);
    seen.push(s);
  }
  assert.deepEqual(seen, [1.25, 1.5, 2, 0.75, 1]);
  assert.equal(nextCaptionScale('garbage'), 1);
  assert.equal(captionScale(null), 1);
  assert.equal(captionScale('1.5'), 1.5);
  assert.equal(captionScale('7'), 1);
});
