import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  activeSegment, chatMessages, chooseRecording, chooseTranscript, durationSeconds, recordingOffset, speakersOf, subtitlesFor,
  transcriptSegments,
} from '../../main/resources/web/archive-timeline.js';

test('protobuf JSON durations', () => {
  assert.equal(durationSeconds('12s'), 12);
  assert.equal(durationSeconds('3.250s'), 3.25);
  assert.equal(durationSeconds('0s'), 0);
  assert.equal(durationSeconds('12'), null);
  assert.equal(durationSeconds(12), null);
  assert.equal(durationSeconds('1e3s'), null);
  assert.equal(durationSeconds(undefined), null);
});

test('segments in time order with speaker names; bad ones left out', () => {
  const s = transcriptSegments({
    speakers: [{ speakerId: 's1', displayName: 'Alice Martin' }, { speakerId: 's2' }],
    segments: [
      { segmentId: 'b', speakerId: 's2', mediaStart: '30s', mediaEnd: '34s', text: 'Second.' },
      { segmentId: 'a', speakerId: 's1', mediaStart: '12.5s', mediaEnd: '16s', text: 'First <b>not html</b>.' },
      { segmentId: 'c', speakerId: 's9', mediaStart: '40s', text: 'Unknown speaker id.' },
      { segmentId: 'd', speakerId: 's1', mediaStart: '50s', text: '   ' },
      { segmentId: 'e', speakerId: 's1', text: 'no start' },
      { segmentId: 'f', speakerId: 's1', mediaStart: '60s', text: 42 },
      null,
    ],
  });
  assert.deepEqual(s.map((x) => [x.id, x.start, x.end, x.speaker]), [
    ['a', 12.5, 16, 'Alice Martin'], ['b', 30, 34, 's2'], ['c', 40, 40, 's9']]);
  assert.equal(s[0].text, 'First <b>not html</b>.');
  assert.deepEqual(transcriptSegments(null), []);
  assert.deepEqual(transcriptSegments({ segments: 'x' }), []);
});

test('the active segment while it lasts, none between two', () => {
  const segs = [{ start: 10, end: 14 }, { start: 20, end: 25 }, { start: 22, end: 23 }];
  assert.equal(activeSegment(segs, 5), -1);
  assert.equal(activeSegment(segs, 10), 0);
  assert.equal(activeSegment(segs, 13.9), 0);
  assert.equal(activeSegment(segs, 16), -1);
  assert.equal(activeSegment(segs, 21), 1);
  assert.equal(activeSegment(segs, 22.5), 2, 'the latest started of two overlapping');
  assert.equal(activeSegment(segs, 24), 1, 'back to the longer one when the short one ends');
  assert.equal(activeSegment(segs, 30), -1);
  assert.equal(activeSegment([], 3), -1);
  assert.equal(activeSegment(segs, NaN), -1);
});

test('chat messages on the meeting clock, text kept as text', () => {
  const m = chatMessages({ messages: [
    { seq: 2, displayName: 'Bob', text: '<img src=x onerror=alert(1)>', mediaTimeMs: 31000, at: '2026-12-01T09:00:31Z' },
    { seq: 1, displayName: 'Alice', text: 'Hello', mediaTimeMs: 12000 },
    { seq: 3, text: 'no name', mediaTimeMs: 'x' },
    { seq: 4, displayName: 'X', text: { not: 'text' } },
  ] });
  assert.deepEqual(m.map((x) => [x.seq, x.start, x.name]), [[3, 0, 'Someone'], [1, 12, 'Alice'], [2, 31, 'Bob']]);
  assert.equal(m[2].text, '<img src=x onerror=alert(1)>');
  assert.deepEqual(chatMessages(undefined), []);
});

test('which transcript and recording, and the offset between them', () => {
  assert.equal(chooseTranscript([
    { transcriptId: 'x', error: 'bad', files: { json: '/x' } },
    { transcriptId: 'p', status: 'TRANSCRIPT_STATUS_PARTIAL', files: { json: '/p' } },
    { transcriptId: 'c', status: 'TRANSCRIPT_STATUS_COMPLETE', files: { json: '/c' } },
  ]).transcriptId, 'c');
  assert.equal(chooseTranscript([{ transcriptId: 'p', files: { json: '/p' } }]).transcriptId, 'p');
  assert.equal(chooseTranscript([
    { transcriptId: 'live-0', version: 'live', status: 'TRANSCRIPT_STATUS_COMPLETE', files: { json: '/l' } },
    { transcriptId: 'final-r', version: 'final', status: 'TRANSCRIPT_STATUS_PARTIAL', files: { json: '/f' } },
  ]).transcriptId, 'final-r', 'the final version, even partial, over the live one');
  assert.equal(chooseTranscript([]), null);
  assert.deepEqual(chooseRecording([
    { recordingId: 'r0', files: [{ kind: 'audio', url: '/t.ogg' }] },
    { recordingId: 'r1', startedAt: '2026-12-01T09:00:05Z', files: [{ kind: 'mixed', url: '/m.m4a' }, { kind: 'mixed', url: '/m.ogg' }] },
  ]), { id: 'r1', startedAt: '2026-12-01T09:00:05Z', url: '/m.ogg' });
  assert.equal(chooseRecording(undefined), null);
  assert.equal(recordingOffset('2026-12-01T09:00:05Z', '2026-12-01T09:00:00Z'), 5);
  assert.equal(recordingOffset('', '2026-12-01T09:00:00Z'), 0);
});

test('the subtitle track is WebVTT on the recording\'s time line, each cue voiced, markup escaped', () => {
  const segments = [
    { id: 'a', start: 2, end: 4, speaker: 'Early', text: 'before the recording' },
    { id: 'b', start: 12.5, end: 15, speaker: 'Alice Martin', text: 'Le <b>budget</b> & le reste' },
    { id: 'c', start: 3725, end: 3725, speaker: 'Bob', text: 'late' },
  ];
  const vtt = subtitlesFor(segments, 5);
  assert.equal(vtt, 'WEBVTT\n\n'
    + '00:00:07.500 --> 00:00:10.000\n<v Alice Martin>Le &lt;b&gt;budget&lt;/b&gt; &amp; le reste\n\n'
    + '01:02:00.000 --> 01:02:00.500\n<v Bob>late\n');
  assert.equal(subtitlesFor([], 0), 'WEBVTT\n\n');
  assert.equal(subtitlesFor(null, 0), 'WEBVTT\n\n');
});

test('the speakers of a transcript, once each, in the order they first speak', () => {
  assert.deepEqual(speakersOf([{ speaker: 'B' }, { speaker: 'A' }, { speaker: 'B' }]), ['B', 'A']);
  assert.deepEqual(speakersOf(undefined), []);
});
