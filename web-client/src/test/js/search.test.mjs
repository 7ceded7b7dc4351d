import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterTerm, markedPieces, monthRange, resultView, searchParams } from '../../main/resources/web/search-model.js';
import { hashSeconds, seekInRecording } from '../../main/resources/web/archive-model.js';

test('matched words are marked, the rest kept as text', () => {
  assert.deepEqual(markedPieces('La réunion du conseil', [[3, 10], [14, 21]]), [
    { text: 'La ', mark: false }, { text: 'réunion', mark: true }, { text: ' du ', mark: false },
    { text: 'conseil', mark: true }]);
  assert.deepEqual(markedPieces('abc', []), [{ text: 'abc', mark: false }]);
  // Overlapping, reversed or out-of-range ranges never cut the text wrong.
  assert.deepEqual(markedPieces('abcdef', [[2, 4], [3, 5], [5, 2], [10, 12]]), [
    { text: 'ab', mark: false }, { text: 'cd', mark: true }, { text: 'ef', mark: false }]);
  assert.equal(markedPieces('<b>x</b>', [[3, 4]]).map((p) => p.text).join(''), '<b>x</b>');
});

test('search parameters carry only what is set', () => {
  assert.equal(searchParams({ q: 'budget', sort: 'relevance', page: 1 }).toString(), 'q=budget');
  assert.equal(searchParams({ q: 'a b', sort: 'date', page: 3, from: '2026-11-01' }).toString(),
    'q=a+b&sort=date&page=3&from=2026-11-01');
});

test('facets become filters', () => {
  assert.equal(filterTerm('speaker', 'Alice Martin'), 'speaker:"Alice Martin"');
  assert.equal(filterTerm('speaker', 'bob'), 'speaker:bob');
  assert.equal(filterTerm('speaker', 'a"b c'), 'speaker:"ab c"');
  assert.deepEqual(monthRange('2026-02'), { from: '2026-02-01', to: '2026-02-28' });
  assert.deepEqual(monthRange('2024-02'), { from: '2024-02-01', to: '2024-02-29' });
  assert.equal(monthRange('junk'), null);
});

test('results read as meetings with time-coded hits and pages', () => {
  const v = resultView({ totalMeetings: 23, totalHits: 40, page: 2, pageSize: 10,
    meetings: [{ meetingId: 'm1', title: '', date: '2026-12-01T10:00:00Z', hitCount: 4,
      hits: [{ speaker: 'Alice', startMs: 125_400, text: 'le budget', highlights: [[3, 9]], url: '/m/m1/archive#t=125' }] }],
    facets: { speaker: [{ value: 'Alice', count: 4 }], month: [] } });
  assert.equal(v.pages, 3);
  assert.equal(v.meetings[0].title, 'Meeting m1');
  assert.equal(v.meetings[0].hits[0].timecode, '2:05');
  assert.equal(v.meetings[0].hits[0].seconds, 125);
  assert.equal(v.meetings[0].hits[0].url, '/m/m1/archive#t=125');
  assert.deepEqual(v.speakers, [{ value: 'Alice', count: 4 }]);
  assert.equal(resultView({}).meetings.length, 0);
});

test('a hit\'s moment becomes a place in the recording', () => {
  assert.equal(hashSeconds('#t=125'), 125);
  assert.equal(hashSeconds('#t=12.5'), 12.5);
  assert.equal(hashSeconds('#t=-3'), null);
  assert.equal(hashSeconds('#x=3'), null);
  assert.equal(hashSeconds(''), null);
  // The recording started 20 s after the meeting: meeting time 125 s is 105 s into it.
  assert.equal(seekInRecording(125, '2026-12-01T10:00:20Z', '2026-12-01T10:00:00Z'), 105);
  assert.equal(seekInRecording(5, '2026-12-01T10:00:20Z', '2026-12-01T10:00:00Z'), 0);
  assert.equal(seekInRecording(7, '', '2026-12-01T10:00:00Z'), 7);
});
