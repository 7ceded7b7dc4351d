// Starting a meeting from the home page: POST /api/meetings, then go to its join link.

import { postJson } from './session.js';
import { t, key } from './i18n.js';

export class MeetingCreateError extends Error {}

/**
 * Creates a meeting; resolves to { id, joinUrl, accessLevel }. accessLevel: 'trusted' (the default:
 * guests wait in the lobby), 'public' or 'restricted'.
 */
export async function createMeeting(fetchFn = fetch, title = '', accessLevel = 'trusted') {
  let res;
  try {
    res = await postJson('/api/meetings', { title, accessLevel }, fetchFn);
  } catch (e) {
    throw new MeetingCreateError(t('common.unreachable'));
  }
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    body = null;
  }
  if (!res.ok) {
    const why = body && typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
    throw new MeetingCreateError(t('meetings.notCreated', { why }));
  }
  if (!body || typeof body.id !== 'string' || typeof body.joinUrl !== 'string') {
    throw new MeetingCreateError(t('common.unexpected'));
  }
  return { id: body.id, joinUrl: body.joinUrl, accessLevel: body.accessLevel || accessLevel };
}

/** Wires the home page's "Start a meeting" button; accessLevel() reads the chosen level. */
export function wireStartButton(button, note, navigate, fetchFn = fetch, accessLevel = () => 'trusted') {
  button.disabled = false;
  note.textContent = t('meetings.startNote');
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      const m = await createMeeting(fetchFn, '', accessLevel());
      navigate(`/m/${m.id}`);
    } catch (e) {
      note.textContent = e.message;
      button.disabled = false;
    } finally {
      button.removeAttribute('aria-busy');
    }
  });
}

/** How the signed-in person relates to a listed meeting, as the list says it. */
const RELATION = {
  owner: key('meetings.relation.owner'), host: key('meetings.relation.host'),
  invited: key('meetings.relation.invited'), attended: key('meetings.relation.attended'),
};

/**
 * The home page's "My meetings": GET /api/me/meetings, one row each with its room and its
 * archive (recordings and transcripts). Hidden when the list is empty or cannot be read.
 */
export async function showMyMeetings(section, list, fetchFn = fetch) {
  let body;
  try {
    const res = await fetchFn('/api/me/meetings', { credentials: 'same-origin' });
    if (!res.ok) {
      section.hidden = true;
      return 0;
    }
    body = await res.json();
  } catch (e) {
    section.hidden = true;
    return 0;
  }
  const meetings = Array.isArray(body && body.meetings) ? body.meetings : [];
  const doc = list.ownerDocument;
  list.replaceChildren();
  for (const m of meetings) {
    const li = doc.createElement('li');
    li.dataset.meetingId = m.id;
    const room = doc.createElement('a');
    room.href = m.room;
    room.textContent = m.title || t('meetings.untitled', { id: m.id });
    const what = doc.createElement('span');
    what.className = 'note';
    const relation = RELATION[m.relation] ? t(RELATION[m.relation]) : m.relation;
    what.textContent = ` — ${m.live ? t('meetings.relationLive', { relation }) : relation} — `;
    const archive = doc.createElement('a');
    archive.href = m.archive;
    archive.textContent = t('meetings.archiveLink');
    li.append(room, what, archive);
    list.append(li);
  }
  section.hidden = meetings.length === 0;
  return meetings.length;
}
