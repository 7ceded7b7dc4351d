// What the archive page shows, from GET /api/meetings/<id>/archive: pure functions, tested under node.
import { t, key, formatDate, formatDateTime, formatTime } from './i18n.js';

/** The meeting id of an archive page path (/m/<id>/archive), or null. */
export function meetingIdFromArchivePath(pathname) {
  const m = /^\/m\/([A-Za-z0-9][A-Za-z0-9._-]*)\/archive\/?$/.exec(pathname || '');
  return m ? m[1] : null;
}

/** "1:05:09" or "4:07" for a duration in milliseconds. */
export function formatDuration(ms) {
  const total = Math.max(0, Math.round((Number(ms) || 0) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

const STATUS = {
  TRANSCRIPT_STATUS_COMPLETE: key('archive.status.complete'),
  TRANSCRIPT_STATUS_PARTIAL: key('archive.status.partial'),
  TRANSCRIPT_STATUS_FAILED: key('archive.status.failed'),
};

const FORMAT_LABEL = { vtt: 'WebVTT', srt: 'SRT', txt: key('archive.format.txt'), json: 'JSON', rttm: 'RTTM' };

function day(iso) {
  return formatDate(iso) || t('archive.unknownDate');
}

/** "; deleted on 1 March 2027" when retention will delete it (never while the meeting is held). */
function deletion(deletesAt) {
  return deletesAt ? t('archive.deletion', { date: day(deletesAt) }) : '';
}

/** Rows for the page: one per transcript run and one per recording, with labelled links. */
export function archiveView(archive) {
  const transcripts = (archive && Array.isArray(archive.transcripts) ? archive.transcripts : []).map((x) => ({
    id: String(x.transcriptId || ''),
    meetingStartTime: x.meetingStartTime ? String(x.meetingStartTime) : '',
    title: x.error ? t('archive.transcriptUnreadable', { id: x.transcriptId, error: x.error })
      : t('archive.transcript', { id: x.transcriptId, status: STATUS[x.status] ? t(STATUS[x.status]) : t('archive.status.unknown') })
        + (Array.isArray(x.speakers) && x.speakers.length ? t('archive.speakers', { names: x.speakers.join(', ') }) : '')
        + deletion(x.deletesAt),
    links: Object.entries(x.files || {}).map(([format, url]) => ({ format, label: FORMAT_LABEL[format] ? t(FORMAT_LABEL[format]) : format, url })),
  }));
  const recordings = (archive && Array.isArray(archive.recordings) ? archive.recordings : []).map((r) => {
    const files = Array.isArray(r.files) ? r.files : [];
    const mixed = files.find((f) => f.kind === 'mixed' && /\.ogg$/.test(f.url || ''))
      || files.find((f) => f.kind === 'mixed');
    return {
      id: String(r.recordingId || ''),
      startedAt: r.startedAt ? String(r.startedAt) : '',
      title: r.error ? t('archive.recordingUnreadable', { id: r.recordingId, error: r.error })
        : t('archive.recording', { when: formatDateTime(r.startedAt) || t('archive.unknownTime'), duration: formatDuration(r.durationMs) })
          + (r.complete === false ? t('archive.incomplete') : '')
          + deletion(r.deletesAt),
      player: mixed ? mixed.url : null,
      links: files.map((f) => ({
        kind: f.kind,
        label: f.kind === 'mixed' ? t('archive.everyone', { ext: (f.url || '').split('.').pop() })
          : t('archive.track', { name: f.displayName || t('archive.aParticipant'), kind: trackKind(f), duration: formatDuration(f.durationMs) }),
        url: f.url,
      })),
    };
  });
  const empty = transcripts.length === 0 && recordings.length === 0;
  const hold = archive && archive.hold
    ? t('archive.hold', { date: day(archive.hold.placedAt), reason: archive.hold.reason })
    : '';
  const retention = retentionNote(archive && archive.retention);
  const p = archive && archive.processing && typeof archive.processing === 'object' ? archive.processing : null;
  const processing = processingNote(p);
  // due: files are being finalized (the page waits for them); live: the meeting runs (the page shows what there is).
  return { transcripts, recordings, empty, hold, retention, retentionEditable: Boolean(archive && archive.retention && archive.retention.editable === true),
    processing, live: Boolean(p && p.live === true),
    due: Boolean(processing) && !(p && p.live === true) };
}

const RETENTION_FROM = {
  meeting: key('retention.from.meeting'), platform: key('retention.from.platform'), configuration: key('retention.from.configuration'),
};

/** "Kept: recordings 90 days (platform policy), …" from the listing's or /api/retention's periods; '' without them. */
export function retentionNote(r, textKey = 'archive.retention', extra = {}) {
  if (!r || typeof r !== 'object' || r.recordingsDays == null || r.transcriptsDays == null) {
    return '';
  }
  const from = (s) => (RETENTION_FROM[s] ? t(RETENTION_FROM[s]) : String(s || ''));
  return t(textKey, {
    ...extra,
    recordings: String(r.recordingsDays), recordingsFrom: from(r.recordingsFrom),
    transcripts: String(r.transcriptsDays), transcriptsFrom: from(r.transcriptsFrom),
  });
}

/** The body of a retention change from two inputs' values: a whole number of days, or null (follows the next level). */
export function retentionBody(recordings, transcripts) {
  const days = (v) => {
    const s = String(v == null ? '' : v).trim();
    return s === '' ? null : Number(s);
  };
  return { recordingsDays: days(recordings), transcriptsDays: days(transcripts) };
}

const DUE = { both: key('archive.due.both'), transcript: key('archive.due.transcript'), recording: key('archive.due.recording') };

/**
 * What the meeting is still producing (the listing's "processing"): in progress, or being finalized
 * and ready by a time; '' when nothing is due. The page keeps checking while it says something.
 */
export function processingNote(p) {
  if (!p || typeof p !== 'object') {
    return '';
  }
  if (p.live === true) {
    return t('archive.live');
  }
  const due = p.transcriptDue === true && p.recordingDue === true ? DUE.both
    : p.transcriptDue === true ? DUE.transcript : p.recordingDue === true ? DUE.recording : null;
  if (!due) {
    return '';
  }
  const what = t(due);
  if (p.late === true) {
    return t('archive.late', { what });
  }
  const when = formatTime(p.readyBy) || t('archive.unknownTime');
  return p.endedAt ? t('archive.finalizing', { ended: formatTime(p.endedAt) || t('archive.unknownTime'), what, when })
    : t('archive.finalizingSoon', { what, when });
}

/** What a recording's file carries, in the reader's language: a shared screen is a video file of its own. */
function trackKind(f) {
  if (f.source === 'screen') {
    return t('archive.kind.screen');
  }
  return f.kind === 'audio' || f.kind === 'video' ? t(`archive.kind.${f.kind}`) : String(f.kind || '');
}

/** The seconds of an archive address's "#t=<seconds>" (a search hit's moment), or null. */
export function hashSeconds(hash) {
  const m = /^#t=(\d{1,7}(?:\.\d{1,3})?)$/.exec(hash || '');
  return m ? Number(m[1]) : null;
}

/**
 * Where to seek a recording for a moment of the meeting: transcripts count from the meeting's
 * start, a recording from its own start, so the moment moves back by the time between the two
 * (when both are known), never before the recording's beginning.
 */
export function seekInRecording(seconds, recordingStartedAt, meetingStartTime) {
  const rec = Date.parse(recordingStartedAt || '');
  const meeting = Date.parse(meetingStartTime || '');
  const offset = Number.isNaN(rec) || Number.isNaN(meeting) ? 0 : (rec - meeting) / 1000;
  return Math.max(0, seconds - offset);
}
