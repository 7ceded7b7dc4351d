// The archive page (/m/<id>/archive): a meeting's transcripts and recordings to download; the review
// (player, transcript, chat) is archive-player.js.
import { archiveView, meetingIdFromArchivePath, retentionBody } from './archive-model.js';
import { postJson } from './session.js';
import { showReview } from './archive-player.js';
import { t, initPage } from './i18n.js';

const $ = (id) => document.getElementById(id);

function link(url, label, attrs) {
  const a = document.createElement('a');
  a.href = url;
  a.textContent = label;
  for (const [k, v] of Object.entries(attrs)) {
    a.dataset[k] = v;
  }
  return a;
}

/** A list item titled by a paragraph, tagged with one data attribute. */
function entry(key, id, title) {
  const li = document.createElement('li');
  li.dataset[key] = id;
  const p = document.createElement('p');
  p.textContent = title;
  li.append(p);
  return li;
}

function render(view) {
  const tList = $('transcripts');
  tList.replaceChildren();
  for (const t of view.transcripts) {
    const li = entry('transcriptId', t.id, t.title);
    for (const l of t.links) {
      li.append(link(l.url, l.label, { format: l.format }), ' ');
    }
    tList.append(li);
  }
  const rList = $('recordings');
  rList.replaceChildren();
  for (const r of view.recordings) {
    const li = entry('recordingId', r.id, r.title);
    for (const l of r.links) {
      li.append(link(l.url, l.label, { kind: l.kind }), ' ');
    }
    rList.append(li);
  }
}

/** What retention the meeting follows; an administrator gets the form, filled with the meeting's own periods. */
function showRetention(view, r) {
  $('retention').hidden = !view.retention;
  $('retention-note').textContent = view.retention;
  $('retention-form').hidden = !view.retentionEditable;
  if (view.retentionEditable && document.activeElement?.closest('#retention-form') == null) {
    $('retention-recordings').value = r.recordingsFrom === 'meeting' ? String(r.recordingsDays) : '';
    $('retention-transcripts').value = r.transcriptsFrom === 'meeting' ? String(r.transcriptsDays) : '';
  }
}

/** While files are being finalized the page checks again this often; while the meeting runs, less often. */
const RECHECK_DUE_MS = 3000;
const RECHECK_LIVE_MS = 15000;
let reviewOf = null; // the files the review on screen was made from
let recheck = null; // the one pending check: a refresh after a save must not start a second loop

function checkAgain(id, root, ms) {
  clearTimeout(recheck);
  recheck = setTimeout(() => refresh(id, root), ms);
}

async function load() {
  initPage();
  $('archive-message').textContent = t('common.loading');
  const id = meetingIdFromArchivePath(location.pathname);
  const root = $('archive');
  if (!id) {
    $('archive-message').textContent = t('archive.noMeeting');
    root.dataset.state = 'error';
    return;
  }
  $('archive-meeting').textContent = id;
  $('retention-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const res = await postJson(`/api/meetings/${encodeURIComponent(id)}/retention`,
      retentionBody($('retention-recordings').value, $('retention-transcripts').value));
    const answer = await res.json().catch(() => ({}));
    $('retention-message').textContent = res.ok ? t('retention.saved') : (answer.error || t('common.refused', { status: String(res.status) }));
    if (res.ok) {
      await refresh(id, root);
    }
  });
  await refresh(id, root);
}

async function refresh(id, root) {
  let res;
  let body = null;
  try {
    res = await fetch(`/api/meetings/${encodeURIComponent(id)}/archive`);
    body = await res.json();
  } catch (e) {
    $('archive-message').textContent = t('archive.unreachable');
    root.dataset.state = 'error';
    return;
  }
  if (!res.ok) {
    $('archive-message').textContent = body && body.error ? body.error : t('archive.unreadable', { status: String(res.status) });
    root.dataset.state = 'error';
    return;
  }
  const view = archiveView(body);
  render(view);
  $('archive-hold').textContent = view.hold;
  $('archive-hold').hidden = !view.hold;
  showRetention(view, body.retention);
  $('archive-message').textContent = view.processing || (view.empty ? t('archive.empty') : t('archive.help'));
  if (view.due) {
    // "loaded" only once the ended meeting's files are here: what tests and people wait for.
    root.dataset.state = 'processing';
    checkAgain(id, root, RECHECK_DUE_MS);
    return;
  }
  root.dataset.state = 'loaded';
  if (view.live) {
    checkAgain(id, root, RECHECK_LIVE_MS);
  }
  // The review again only when other files are there (a recording or transcript finished since).
  const files = JSON.stringify([view.transcripts.map((x) => x.id), view.recordings.map((x) => x.id)]);
  if (files === reviewOf) {
    return;
  }
  reviewOf = files;
  // The player, the transcript and the chat (archive-player.js); "#t=" seeks there.
  showReview(body).catch((e) => {
    $('review-note').textContent = t('archive.reviewFailed', { error: e.message });
    $('review-note').hidden = false;
  });
}

load();
