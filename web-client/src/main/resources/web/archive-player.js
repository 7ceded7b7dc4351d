// The archive page's review (#review): the meeting's recording in a player, its transcript and its
// chat beside it. A click on a line seeks the player there; the line being played is marked and
// kept in view; "#t=<seconds>" (a search hit) opens the meeting at that moment. Everything shown
// from the data is text nodes, never HTML.
import { formatDuration, hashSeconds } from './archive-model.js';
import {
  activeSegment, chatMessages, chooseRecording, chooseTranscript, recordingOffset, speakersOf, subtitlesFor, transcriptSegments,
} from './archive-timeline.js';
import { t } from './i18n.js';

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
  time.setAttribute('aria-label', t('archive.playFrom', { time: formatDuration(seconds * 1000) }));
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

/** The transcript as the player's subtitle track (a `<track>` of WebVTT on the recording's time line). */
function addSubtitles(player, segments, offset, language) {
  for (const old of player.querySelectorAll('track')) {
    old.remove();
  }
  const track = document.createElement('track');
  track.kind = 'subtitles';
  track.label = t('archive.transcriptHeading');
  track.srclang = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language || '') ? language : 'und';
  track.src = URL.createObjectURL(new Blob([subtitlesFor(segments, offset)], { type: 'text/vtt' }));
  track.default = true;
  player.append(track);
  track.track.mode = 'hidden'; // its cues load; the transcript beside the player is what one reads
}

/** "Speaker: everyone / Alice / …": shows only the lines of the one chosen. */
function showSpeakerFilter(segments, list) {
  const select = $('speaker-filter');
  const speakers = speakersOf(segments);
  select.replaceChildren(el('option', '', t('archive.filterEveryone')));
  select.firstChild.value = '';
  for (const name of speakers) {
    const o = el('option', '', name);
    o.value = name;
    select.append(o);
  }
  $('speaker-filter-row').hidden = speakers.length < 2;
  select.onchange = () => {
    for (const li of list.children) {
      li.hidden = select.value !== '' && li.dataset.speaker !== select.value;
    }
  };
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
      problems.push(t('archive.transcriptUnreadableNote', { error: e.message }));
    }
  }
  segmentList.replaceChildren(...segments.map((s) => {
    const li = line(s.start, s.speaker, s.text, seek);
    li.dataset.segmentId = s.id;
    li.dataset.end = String(s.end);
    li.dataset.speaker = s.speaker;
    return li;
  }));
  showSpeakerFilter(segments, segmentList);
  if (rec && segments.length > 0) {
    addSubtitles(player, segments, offset, chosen.language);
  }
  segmentList.dataset.transcriptId = chosen ? String(chosen.transcriptId || '') : '';

  let messages = [];
  for (const url of Array.isArray(archive.chats) ? archive.chats.map((c) => c.url) : []) {
    try {
      messages = messages.concat(chatMessages(await getJson(url)));
    } catch (e) {
      problems.push(t('archive.chatUnreadable', { error: e.message }));
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
  note.textContent = [rec ? '' : t('archive.noRecordingYet'), ...problems].filter(Boolean).join(' ');
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
  const fromHash = () => {
    const seconds = hashSeconds(location.hash);
    if (seconds !== null) {
      seek(seconds);
    }
  };
  // Shown again when newer files come (the page checks while a meeting runs): the listeners are
  // added once and act on the review shown last.
  shown = { follow, fromHash };
  if (!listening) {
    listening = true;
    player.addEventListener('timeupdate', () => shown.follow());
    player.addEventListener('seeked', () => shown.follow());
    window.addEventListener('hashchange', () => shown.fromHash());
  }
  fromHash();
  root.dataset.state = 'ready';
}

/** The review on screen: what the player's and the page's listeners call. */
let shown = { follow: () => {}, fromHash: () => {} };
let listening = false;
