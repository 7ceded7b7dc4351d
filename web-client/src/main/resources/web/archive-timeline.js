// The archive page's review of a meeting (player, transcript, chat): pure functions, tested under node.
// Times are seconds of the meeting (the transcript's and the chat's clock) unless named otherwise.

/** Seconds of a protobuf JSON Duration ("12s", "3.250s", "-1s"), or null when it is not one. */
export function durationSeconds(d) {
  const m = /^(-?\d{1,12}(?:\.\d{1,9})?)s$/.exec(typeof d === 'string' ? d : '');
  return m ? Number(m[1]) : null;
}

/**
 * The segments of a transcript.json (steno.transcript.v1.Transcript as protobuf JSON), in time
 * order, each with its speaker's display name: [{id, start, end, speaker, text}]. Segments
 * without a start or text are left out; nothing is trusted to be a string.
 */
export function transcriptSegments(transcript) {
  const t = transcript && typeof transcript === 'object' ? transcript : {};
  const names = new Map();
  for (const s of Array.isArray(t.speakers) ? t.speakers : []) {
    if (s && s.speakerId !== undefined) {
      names.set(String(s.speakerId), String(s.displayName || s.speakerId));
    }
  }
  const out = [];
  for (const s of Array.isArray(t.segments) ? t.segments : []) {
    if (!s || typeof s.text !== 'string' || s.text.trim() === '') {
      continue;
    }
    const start = durationSeconds(s.mediaStart);
    if (start === null) {
      continue;
    }
    const end = durationSeconds(s.mediaEnd);
    const speakerId = s.speakerId === undefined ? '' : String(s.speakerId);
    out.push({
      id: String(s.segmentId || `${speakerId}@${start}`),
      start,
      end: end === null || end < start ? start : end,
      speaker: names.get(speakerId) || speakerId || 'Unknown speaker',
      text: s.text,
    });
  }
  out.sort((a, b) => a.start - b.start || a.end - b.end);
  return out;
}

/** The messages of a chat.json, in time order: [{seq, start, name, text, at}]. */
export function chatMessages(chat) {
  const list = chat && Array.isArray(chat.messages) ? chat.messages : [];
  const out = [];
  for (const m of list) {
    if (!m || typeof m.text !== 'string') {
      continue;
    }
    const ms = Number(m.mediaTimeMs);
    out.push({
      seq: Number.isFinite(Number(m.seq)) ? Number(m.seq) : out.length,
      start: Number.isFinite(ms) && ms >= 0 ? ms / 1000 : 0,
      name: String(m.displayName || 'Someone'),
      text: m.text,
      at: typeof m.at === 'string' ? m.at : '',
    });
  }
  out.sort((a, b) => a.start - b.start || a.seq - b.seq);
  return out;
}

/**
 * The index of the segment being played at `seconds` (meeting time): the last one started at or
 * before it, while it lasts; between two segments, none (-1). Segments in time order.
 */
export function activeSegment(segments, seconds) {
  if (!Array.isArray(segments) || segments.length === 0 || !Number.isFinite(seconds)) {
    return -1;
  }
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid].start <= seconds) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0) {
    return -1;
  }
  // Overlapping speakers: the latest one started that is still speaking.
  for (let i = found; i >= 0 && i > found - 8; i--) {
    if (seconds < Math.max(segments[i].end, segments[i].start + 0.5)) {
      return i;
    }
  }
  return -1;
}

/**
 * The offset of a recording on the meeting's clock, in seconds: meeting time = player time +
 * offset (0 when either start is unknown).
 */
export function recordingOffset(recordingStartedAt, meetingStartTime) {
  const rec = Date.parse(recordingStartedAt || '');
  const meeting = Date.parse(meetingStartTime || '');
  return Number.isNaN(rec) || Number.isNaN(meeting) ? 0 : (rec - meeting) / 1000;
}

/** Which transcript the page shows: the first readable complete one, else the first readable one. */
export function chooseTranscript(transcripts) {
  const list = (Array.isArray(transcripts) ? transcripts : []).filter((t) => t && !t.error && t.files && t.files.json);
  // The final version (the pass over the recording after the meeting) first, then a complete live one.
  return list.find((t) => t.version === 'final') || list.find((t) => t.status === 'TRANSCRIPT_STATUS_COMPLETE') || list[0] || null;
}

/** Which recording plays: the first one with a mixed file, with its player URL. */
export function chooseRecording(recordings) {
  for (const r of Array.isArray(recordings) ? recordings : []) {
    const files = r && Array.isArray(r.files) ? r.files : [];
    const mixed = files.find((f) => f.kind === 'mixed' && /\.ogg$/.test(f.url || '')) || files.find((f) => f.kind === 'mixed');
    if (mixed && mixed.url) {
      return { id: String(r.recordingId || ''), startedAt: String(r.startedAt || ''), url: mixed.url };
    }
  }
  return null;
}

/** "00:01:02.500" for seconds, as WebVTT writes cue times. */
function vttTime(seconds) {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = String(Math.floor(ms / 3600000)).padStart(2, '0');
  const m = String(Math.floor((ms % 3600000) / 60000)).padStart(2, '0');
  const sec = String(Math.floor((ms % 60000) / 1000)).padStart(2, '0');
  return `${h}:${m}:${sec}.${String(ms % 1000).padStart(3, '0')}`;
}

function vttText(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\s*\n\s*/g, ' ');
}

/**
 * The transcript as WebVTT on the recording's own time line (meeting time minus `offsetSeconds`,
 * where the recording began): the player's subtitle track. Lines spoken before the recording
 * began are left out; each cue names its speaker as a voice.
 */
export function subtitlesFor(segments, offsetSeconds) {
  const cues = [];
  for (const s of Array.isArray(segments) ? segments : []) {
    const start = s.start - offsetSeconds;
    const end = Math.max(s.end - offsetSeconds, start + 0.5);
    if (start < 0) {
      continue;
    }
    cues.push(`${vttTime(start)} --> ${vttTime(end)}\n<v ${vttText(s.speaker).replace(/\s+/g, ' ')}>${vttText(s.text)}`);
  }
  return `WEBVTT\n\n${cues.join('\n\n')}${cues.length ? '\n' : ''}`;
}

/** The speakers of a transcript's lines, each once, in the order they first speak. */
export function speakersOf(segments) {
  return [...new Set((Array.isArray(segments) ? segments : []).map((s) => s.speaker))];
}
