// The archive page (/m/<id>/archive): a meeting's transcripts to download and recordings to play.
import { archiveView, hashSeconds, meetingIdFromArchivePath, seekInRecording } from './archive-model.js';
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

/**
 * A search hit opens this page at "#t=<seconds>" (meeting time): the first recording's player
 * seeks there, and plays when the browser allows it.
 */
function seekToHash(view) {
  const t = hashSeconds(location.hash);
  const audio = document.querySelector('#recordings audio');
  if (t === null || !audio) {
    return;
  }
  const rec = view.recordings.find((r) => r.player) || {};
  const start = (view.transcripts.find((x) => x.meetingStartTime) || {}).meetingStartTime;
  const target = seekInRecording(t, rec.startedAt, start);
  const seek = () => {
    audio.currentTime = target;
    $('archive').dataset.seekedTo = String(target);
    audio.play().catch(() => { /* autoplay refused: the player waits at the moment */ });
  };
  if (audio.readyState >= 1) {
    seek();
  } else {
    audio.addEventListener('loadedmetadata', seek, { once: true });
  }
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
    if (r.player) {
      const audio = document.createElement('audio');
      audio.controls = true;
      audio.preload = 'metadata';
      audio.src = r.player;
      li.append(audio);
    }
    for (const l of r.links) {
      li.append(link(l.url, l.label, { kind: l.kind }), ' ');
    }
    rList.append(li);
  }
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
  $('archive-message').textContent = view.empty
    ? t('archive.empty')
    : t('archive.help');
  root.dataset.state = 'loaded';
  seekToHash(view);
  window.addEventListener('hashchange', () => seekToHash(view));
}

load();
