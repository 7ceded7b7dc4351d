// What the search page shows, from GET /api/search: pure functions, tested under node.
import { formatDuration } from './archive-model.js';
import { t } from './i18n.js';

/** A hit's text cut into pieces, the matched ones marked; ranges are [start, end) into text. */
export function markedPieces(text, ranges) {
  const s = String(text || '');
  const out = [];
  let at = 0;
  const sorted = (Array.isArray(ranges) ? ranges : [])
    .filter((r) => Array.isArray(r) && r.length === 2 && r[0] < r[1])
    .map(([a, b]) => [Math.max(0, a), Math.min(s.length, b)])
    .sort((x, y) => x[0] - y[0]);
  for (const [a, b] of sorted) {
    if (a < at || a >= s.length) {
      continue; // overlapping or outside: never cut the text wrong
    }
    if (a > at) {
      out.push({ text: s.slice(at, a), mark: false });
    }
    out.push({ text: s.slice(a, b), mark: true });
    at = b;
  }
  if (at < s.length) {
    out.push({ text: s.slice(at), mark: false });
  }
  return out;
}

/** The query string of a search: only what is set. */
export function searchParams({ q, sort, page, from, to }) {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  if (sort && sort !== 'relevance') p.set('sort', sort);
  if (page && page > 1) p.set('page', String(page));
  if (from) p.set('from', from);
  if (to) p.set('to', to);
  return p;
}

/** A filter value as the query language writes it: quoted when it has spaces or quotes. */
export function filterTerm(name, value) {
  const v = String(value).replaceAll('"', '');
  return /\s/.test(v) ? `${name}:"${v}"` : `${name}:${v}`;
}

/** "2026-12" → the first and last day of that month, for the date inputs. */
export function monthRange(month) {
  const m = /^(\d{4})-(\d{2})$/.exec(month || '');
  if (!m) return null;
  const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  return { from: `${m[1]}-${m[2]}-01`, to: `${m[1]}-${m[2]}-${String(last).padStart(2, '0')}` };
}

/** Rows for the page, with the time code of each hit. */
export function resultView(body) {
  const meetings = (body && Array.isArray(body.meetings) ? body.meetings : []).map((m) => ({
    id: String(m.meetingId || ''),
    title: m.title ? String(m.title) : t('meetings.untitled', { id: m.meetingId }),
    date: m.date ? String(m.date) : '',
    hitCount: Number(m.hitCount) || 0,
    hits: (Array.isArray(m.hits) ? m.hits : []).map((h) => ({
      speaker: String(h.speaker || ''),
      timecode: formatDuration(h.startMs),
      seconds: Math.floor((Number(h.startMs) || 0) / 1000),
      url: String(h.url || ''),
      pieces: markedPieces(h.text, h.highlights),
    })),
  }));
  const total = Number(body && body.totalMeetings) || 0;
  const page = Number(body && body.page) || 1;
  const size = Number(body && body.pageSize) || 10;
  return {
    meetings,
    totalMeetings: total,
    totalHits: Number(body && body.totalHits) || 0,
    page,
    pages: Math.max(1, Math.ceil(total / size)),
    speakers: (body && body.facets && Array.isArray(body.facets.speaker) ? body.facets.speaker : []),
    months: (body && body.facets && Array.isArray(body.facets.month) ? body.facets.month : []),
  };
}
