// The archive page's review (#review): the meeting's recording in a player, its transcript and its
// chat beside it. A click on a line seeks the player there; the line being played is marked and
// kept in view; "#t=<seconds>" (a search hit) opens the meeting at that moment. Everything shown
// from the data is text nodes, never HTML.
import { formatDuration, hashSeconds } from './archive-model.js';
import {
  activeSegment, chatMessages, chooseRecording, chooseTranscript, recordingOffset, transcriptSegments,
} from './archive-timeline.js';

const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) {
    e.className = cls;
  }
  if (text !== undefined) {
    e.textContent = text;
  }
  return e;
}

async function getJson(url) {
  const res = await fetch(url);
  if (!res.ok) {
    throw new Error(`HTTP ${res.status}`);
  }
  return res.json();
}

/** One line of the transcript or the chat: a time button (seeks), who, what. */
function line(seconds, who, text, onSeek) {
  const li = document.createElement('li');
  li.dataset.start = String(seconds);
  const time = el('button', 'review-time', formatDuration(seconds * 1000));
  time.type = 'button';
  time.setAttribute('aria-label', `Play from ${formatDuration(seconds * 1000)}`);
  time.addEventListener('click', () => onSeek(seconds));
  li.append(time, ' ', el('span', 'review-who', who), ': ', el('span', 'review-text', text));
  // The whole line seeks too (the text is the bigger target); the button is its keyboard way.
  li.addEventListener('click', (e) => {
    if (e.target !== time && !window.getSelection().toString()) {
      onSeek(seconds);
    }
  });
  return li;
}

/** Scrolls `list` (not the page) so that `item` is in view. */
function keepInView(list, item) {
  const top = item.offsetTop;
  const bottom = top + item.offsetHeight;
  if (top < list.scrollTop || bottom > list.scrollTop + list.clientHeight) {
    list.scrollTop = Math.max(0, top - list.clientHeight / 3);
  }
}

/**
 * Shows the review for the archive listing `archive` (GET /api/meetings/<id>/archive). Resolves
 * when the transcript and chat are shown (or known to be missing).
 */
export async function showReview(archive) {
  const root = $('review');
  const player = $('player');
  const segmentList = $('segments');
  const chatList = $('archive-chat');
  const note = $('review-note');
  const rec = chooseRecording(archive.recordings);
  const chosen = chooseTranscript(archive.transcripts);
  const meetingStart = chosen && chosen.meetingStartTime ? chosen.meetingStartTime : '';
  // Meeting time = player time + offset: transcripts and chat count from the meeting's start.
  const offset = rec ? recordingOffset(rec.startedAt, meetingStart) : 0;
  root.hidden = false;

  const seek = (meetingSeconds) => {
    if (!rec) {
      return;
    }
    const target = Math.max(0, meetingSeconds - offset);
    const go = () => {
      player.currentTime = target;
      $('archive').dataset.seekedTo = String(target);
      player.play().catch(() => { /* autoplay refused: the player waits at the moment */ });
    };
    if (player.readyState >= 1) {
      go();
    } else {
      player.addEventListener('loadedmetadata', go, { once: true });
    }
  };

  if (rec) {
    player.src = rec.url;
    player.hidden = false;
    player.dataset.recordingId = rec.id;
  } else {
    player.hidden = true;
  }

  // The evidence export, when the server says this person may make it (the owner, auditors).
  if (typeof archive.evidence === 'string' && archive.evidence.startsWith('/api/meetings/')) {
    $('evidence-link').href = archive.evidence;
    $('evidence').hidden = false;
  }

  let segments = [];
  const problems = [];
  if (chosen) {
    try {
      segments = transcriptSegments(await getJson(chosen.files.json));
    } catch (e) {
      problems.push(`The transcript could not be read (${e.message}).`);
    }
  }
  segmentList.replaceChildren(...segments.map((s) => {
    const li = line(s.start, s.speaker, s.text, seek);
    li.dataset.segmentId = s.id;
    li.dataset.end = String(s.end);
    return li;
  }));
  segmentList.dataset.transcriptId = chosen ? String(chosen.transcriptId || '') : '';

  let messages = [];
  for (const url of Array.isArray(archive.chats) ? archive.chats.map((c) => c.url) : []) {
    try {
      messages = messages.concat(chatMessages(await getJson(url)));
    } catch (e) {
      problems.push(`A chat file could not be read (${e.message}).`);
    }
  }
  messages.sort((a, b) => a.start - b.start || a.seq - b.seq);
  chatList.replaceChildren(...messages.map((m) => {
    const li = line(m.start, m.name, m.text, seek);
    li.dataset.seq = String(m.seq);
    if (m.at) {
      li.title = new Date(m.at).toLocaleString();
    }
    return li;
  }));
  $('segments-empty').hidden = segments.length > 0;
  $('chat-empty').hidden = messages.length > 0;
  note.textContent = [rec ? '' : 'No recording to play yet.', ...problems].filter(Boolean).join(' ');
  note.hidden = note.textContent === '';

  let current = -1;
  const follow = () => {
    const i = activeSegment(segments, player.currentTime + offset);
    if (i === current) {
      return;
    }
    const items = segmentList.children;
    if (current >= 0 && items[current]) {
      items[current].removeAttribute('data-active');
      items[current].removeAttribute('aria-current');
    }
    current = i;
    root.dataset.activeSegment = i >= 0 ? segments[i].id : '';
    if (i >= 0 && items[i]) {
      items[i].dataset.active = 'true';
      items[i].setAttribute('aria-current', 'true');
      keepInView(segmentList, items[i]);
    }
  };
  player.addEventListener('timeupdate', follow);
  player.addEventListener('seeked', follow);

  const fromHash = () => {
    const t = hashSeconds(location.hash);
    if (t !== null) {
      seek(t);
    }
  };
  window.addEventListener('hashchange', fromHash);
  fromHash();
  root.dataset.state = 'ready';
}
