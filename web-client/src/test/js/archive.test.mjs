import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archiveView, formatDuration, meetingIdFromArchivePath, processingNote, retentionBody, retentionNote } from '../../main/resources/web/archive-model.js';
import { setLanguage } from '../../main/resources/web/i18n.js';

test('the archive page path names its meeting, nothing else does', () => {
  assert.equal(meetingIdFromArchivePath('/m/abc-defg-hij/archive'), 'abc-defg-hij');
  assert.equal(meetingIdFromArchivePath('/m/abc-defg-hij/archive/'), 'abc-defg-hij');
  assert.equal(meetingIdFromArchivePath('/m/abc-defg-hij'), null);
  assert.equal(meetingIdFromArchivePath('/m/../archive'), null);
});

test('durations read as a clock', () => {
  assert.equal(formatDuration(0), '0:00');
  assert.equal(formatDuration(247_000), '4:07');
  assert.equal(formatDuration(3_909_000), '1:05:09');
  assert.equal(formatDuration('junk'), '0:00');
});

test('transcripts and recordings become labelled links, the mix a player', () => {
  const v = archiveView({
    transcripts: [
      { transcriptId: 'live-0', status: 'TRANSCRIPT_STATUS_PARTIAL', speakers: ['Alice', 'Room (1)'],
        files: { vtt: '/a/t.vtt', txt: '/a/t.txt' } },
      { transcriptId: 'live-5', error: 'not readable', files: { json: '/a/5.json' } },
    ],
    recordings: [{ recordingId: 'rec-1', startedAt: '2026-11-26T10:00:00Z', durationMs: 65_000, complete: false,
      files: [{ kind: 'mixed', url: '/a/mixed.m4a' }, { kind: 'mixed', url: '/a/mixed.ogg' },
        { kind: 'audio', displayName: 'Alice', durationMs: 60_000, url: '/a/alice.ogg' }] }],
  });
  assert.equal(v.empty, false);
  assert.match(v.transcripts[0].title, /partial/);
  assert.match(v.transcripts[0].title, /Alice, Room \(1\)/);
  assert.deepEqual(v.transcripts[0].links.map((l) => l.label), ['WebVTT', 'Text']);
  assert.match(v.transcripts[1].title, /unreadable/);
  assert.equal(v.recordings[0].player, '/a/mixed.ogg');
  assert.match(v.recordings[0].title, /1:05 \(incomplete/);
  assert.deepEqual(v.recordings[0].links.map((l) => l.label), ['Everyone (m4a)', 'Everyone (ogg)', 'Alice (audio, 1:00)']);
});

test("a shared screen is its own file, said as one in both languages", () => {
  const answer = { recordings: [{ recordingId: 'r', startedAt: '2026-12-01T10:00:00Z', durationMs: 90_000,
    files: [{ kind: 'video', source: 'camera', displayName: 'Bob', durationMs: 90_000, url: '/a/cam.webm' },
      { kind: 'video', source: 'screen', displayName: 'Bob', durationMs: 30_000, url: '/a/screen.webm' },
      { kind: 'video', displayName: 'Old', durationMs: 1_000, url: '/a/old.webm' }] }] };
  assert.deepEqual(archiveView(answer).recordings[0].links.map((l) => l.label),
    ['Bob (camera, 1:30)', 'Bob (shared screen, 0:30)', 'Old (camera, 0:01)']);
  setLanguage('fr');
  try {
    assert.deepEqual(archiveView(answer).recordings[0].links.map((l) => l.label),
      ['Bob (caméra, 1:30)', "Bob (partage d'écran, 0:30)", 'Old (caméra, 0:01)']);
  } finally {
    setLanguage('en');
  }
});

test('an empty or malformed answer shows nothing, without throwing', () => {
  assert.equal(archiveView({}).empty, true);
  assert.equal(archiveView(null).empty, true);
  assert.equal(archiveView({ transcripts: 'x', recordings: [{ files: 'y' }] }).recordings[0].links.length, 0);
});

test('retention dates and a legal hold are said', () => {
  const v = archiveView({
    hold: { reason: 'inquiry 17', placedAt: '2026-12-02T08:00:00Z' },
    transcripts: [{ transcriptId: 'live-0', status: 'TRANSCRIPT_STATUS_COMPLETE', deletesAt: null, files: {} }],
    recordings: [{ recordingId: 'r', startedAt: '2026-12-01T10:00:00Z', durationMs: 1000, deletesAt: null, files: [] }],
  });
  assert.match(v.hold, /legal hold since 2 December 2026 \(inquiry 17\)/);
  assert.doesNotMatch(v.transcripts[0].title, /deleted/);
  const w = archiveView({
    transcripts: [{ transcriptId: 'live-0', status: 'TRANSCRIPT_STATUS_COMPLETE', deletesAt: '2027-12-01T10:00:00Z', files: {} }],
    recordings: [{ recordingId: 'r', startedAt: '2026-12-01T10:00:00Z', durationMs: 1000, deletesAt: '2027-03-01T10:00:00Z', files: [] }],
  });
  assert.equal(w.hold, '');
  assert.match(w.transcripts[0].title, /deleted on 1 December 2027 \(retention\)/);
  assert.match(w.recordings[0].title, /deleted on 1 March 2027/);
  assert.match(w.recordings[0].title, /^Recording of 1 December 2026 at \d\d:00, 0:01/, 'the start is a date, not an ISO instant');
  setLanguage('fr');
  try {
    const f = archiveView({
      hold: { reason: 'enquête 17', placedAt: '2026-12-02T08:00:00Z' },
      recordings: [{ recordingId: 'r', startedAt: '2026-12-01T10:00:00Z', durationMs: 1000, deletesAt: '2027-03-01T10:00:00Z', files: [] }],
    });
    assert.match(f.hold, /^Sous conservation légale depuis le 2 décembre 2026 \(enquête 17\)/);
    assert.match(f.recordings[0].title, /^Enregistrement du 1 décembre 2026 à \d\d:00, 0:01\u00a0; supprimé le 1 mars 2027/);
  } finally {
    setLanguage('en');
  }
});

test('the retention a meeting follows is said with where each period comes from; the form sends days or null', () => {
  const v = archiveView({ retention: { recordingsDays: 7, recordingsFrom: 'meeting', transcriptsDays: 365,
    transcriptsFrom: 'configuration', editable: true } });
  assert.equal(v.retention, 'Kept: recordings 7 days (this meeting’s own), transcripts 365 days (configuration).');
  assert.equal(v.retentionEditable, true);
  const w = archiveView({ retention: { recordingsDays: 90, recordingsFrom: 'platform', transcriptsDays: 30, transcriptsFrom: 'platform' } });
  assert.equal(w.retentionEditable, false, 'editable only when the server says so');
  assert.equal(archiveView({}).retention, '');
  assert.equal(retentionNote({ recordingsDays: 1 }), '', 'half an answer shows nothing');
  setLanguage('fr');
  try {
    assert.equal(w.retention.length > 0, true);
    assert.match(archiveView({ retention: { recordingsDays: 90, recordingsFrom: 'platform', transcriptsDays: 30,
      transcriptsFrom: 'platform' } }).retention, /^Conservés\u00a0: enregistrements 90\u00a0jours \(règle de la plateforme\)/);
  } finally {
    setLanguage('en');
  }
  assert.deepEqual(retentionBody(' 30 ', ''), { recordingsDays: 30, transcriptsDays: null });
  assert.deepEqual(retentionBody(null, '2.5'), { recordingsDays: null, transcriptsDays: 2.5 }, 'the server judges a fraction');
});

test('an ended meeting whose files are being finalized says when they will be ready, in both languages', () => {
  const processing = { live: false, endedAt: '2026-12-01T10:00:00Z', transcriptDue: true, recordingDue: true,
    readyBy: '2026-12-01T10:00:30Z', late: false };
  const v = archiveView({ transcripts: [], recordings: [], processing });
  assert.equal(v.due, true);
  assert.equal(v.live, false);
  assert.match(v.processing, /^The meeting ended at .+\. Finalizing the transcript and the recording, expected by .+\./);
  assert.match(processingNote({ ...processing, recordingDue: false }), /Finalizing the transcript,/);
  assert.match(processingNote({ ...processing, transcriptDue: false }), /Finalizing the recording,/);
  assert.match(processingNote({ ...processing, late: true }), /takes longer than expected/);
  setLanguage('fr');
  try {
    assert.match(processingNote(processing), /^La réunion s’est terminée à .+\. Finalisation de la transcription et de l’enregistrement en cours/);
  } finally {
    setLanguage('en');
  }
});

test('a live meeting is said to be in progress and not waited for; nothing due says nothing', () => {
  const live = archiveView({ processing: { live: true, recording: true, captions: false } });
  assert.equal(live.live, true);
  assert.equal(live.due, false);
  assert.match(live.processing, /in progress/);
  const done = archiveView({ processing: { live: false, transcriptDue: false, recordingDue: false } });
  assert.equal(done.processing, '');
  assert.equal(done.due, false);
  assert.equal(processingNote(null), '');
  assert.equal(processingNote('nonsense'), '');
  assert.equal(archiveView({ processing: 42 }).due, false);
});
