// Room state as the signaling messages describe it: pure functions, no DOM, no network,
// so node:test can check them. room.js owns the page and the RTCPeerConnection.
import { t } from './i18n.js';

export function initialState(meetingId) {
  return {
    meetingId,
    phase: 'prejoin', // prejoin → joining → joined → left | ended | error
    title: '',
    participantId: null,
    displayName: '',
    role: null,
    participants: {}, // id → { id, displayName, role, kind }
    participantCount: 0, // as of joining; the roster arrives in chunks after `joined`
    tracks: {}, // id → { id, participantId, kind, source, muted }
    slots: {}, // mid → { mid, kind, trackId, participantId }: what each receive transceiver shows
    pinned: [], // participant ids whose video this page asked for first (a `pin` message)
    dominantSpeaker: null,
    recording: false,
    captionsEnabled: false,
    locked: false, // everyone new waits in the lobby (a host locked the meeting)
    lobby: { count: 0, waiting: [] }, // requests waiting to be let in; hosts only
    hands: [], // participant ids whose hand is up, in the order they raised it
    chat: [], // the last CHAT_KEPT chat messages: { seq, participantId, displayName, text, at }
    lastError: null,
  };
}

/** Chat messages a page keeps (the meeting keeps them all, and stores them at its end). */
export const CHAT_KEPT = 200;

/**
 * A chat message's text as pieces to put in the page: plain text, and links for http(s) URLs
 * only (never javascript: or data:). The page makes text nodes and anchors of them, never HTML.
 */
export function chatPieces(text) {
  const out = [];
  const re = /\bhttps?:\/\/[^\s<>"]+/g;
  let last = 0;
  for (const m of String(text).matchAll(re)) {
    if (m.index > last) {
      out.push({ text: text.slice(last, m.index) });
    }
    out.push({ text: m[0], href: m[0] });
    last = m.index + m[0].length;
  }
  if (last < String(text).length) {
    out.push({ text: String(text).slice(last) });
  }
  return out;
}

/** Returns the state after one server message; unknown messages leave it unchanged. */
export function applyMessage(state, msg) {
  if (!msg || typeof msg.type !== 'string') {
    return state;
  }
  const s = { ...state };
  switch (msg.type) {
    case 'joined': {
      s.phase = 'joined';
      s.title = msg.title || '';
      s.participantId = msg.participantId;
      s.displayName = msg.displayName;
      s.role = msg.role;
      s.participants = {};
      for (const p of msg.participants || []) {
        s.participants[p.id] = { ...p };
      }
      s.participantCount = msg.participantCount ?? (msg.participants || []).length;
      s.tracks = {};
      for (const t of msg.tracks || []) {
        s.tracks[t.id] = { ...t };
      }
      s.pinned = [];
      s.dominantSpeaker = msg.dominantSpeaker || null;
      s.recording = !!msg.recording;
      s.captionsEnabled = !!msg.captionsEnabled;
      s.locked = !!msg.locked;
      s.lobby = { count: 0, waiting: [] };
      s.hands = Array.isArray(msg.handsRaised) ? [...msg.handsRaised] : [];
      s.chat = [];
      return s;
    }
    case 'roster': {
      // The rest of the roster after `joined`, a few participants per message.
      s.participants = { ...s.participants };
      for (const p of msg.participants || []) {
        s.participants[p.id] = { ...p };
      }
      s.tracks = { ...s.tracks };
      for (const t of msg.tracks || []) {
        s.tracks[t.id] = { ...t };
      }
      return s;
    }
    case 'participant-joined':
      s.participants = { ...s.participants, [msg.participant.id]: { ...msg.participant } };
      return s;
    case 'participant-updated': {
      // A role changed (a co-host promoted or demoted); for this page's own, its controls follow.
      const p = msg.participant;
      if (!p || !s.participants[p.id]) {
        return state;
      }
      s.participants = { ...s.participants, [p.id]: { ...s.participants[p.id], ...p } };
      if (p.id === s.participantId) {
        s.role = p.role;
      }
      return s;
    }
    case 'hand':
      s.hands = s.hands.filter((id) => id !== msg.participantId);
      if (msg.raised) {
        s.hands.push(msg.participantId);
      }
      return s;
    case 'chat': {
      if (typeof msg.text !== 'string' || s.chat.some((c) => c.seq === msg.seq)) {
        return state; // a history message already seen (a reconnection) or nonsense
      }
      const c = { seq: msg.seq, participantId: msg.participantId, displayName: msg.displayName, text: msg.text, at: msg.at };
      s.chat = [...s.chat, c].slice(-CHAT_KEPT);
      return s;
    }
    case 'meeting-locked':
      s.locked = !!msg.locked;
      return s;
    case 'lobby':
      s.lobby = { count: msg.count || 0, waiting: Array.isArray(msg.waiting) ? msg.waiting : [] };
      return s;
    case 'removed':
      s.phase = 'removed';
      return s;
    case 'replaced':
      s.phase = 'replaced';
      return s;
    case 'participant-left': {
      const participants = { ...s.participants };
      delete participants[msg.participantId];
      s.participants = participants;
      const tracks = {};
      for (const [id, t] of Object.entries(s.tracks)) {
        if (t.participantId !== msg.participantId) {
          tracks[id] = t;
        }
      }
      s.tracks = tracks;
      if (s.dominantSpeaker === msg.participantId) {
        s.dominantSpeaker = null;
      }
      s.pinned = s.pinned.filter((id) => id !== msg.participantId);
      return s;
    }
    case 'track-published':
    case 'track-muted':
      s.tracks = { ...s.tracks, [msg.track.id]: { ...msg.track } };
      return s;
    case 'track-unpublished': {
      const tracks = { ...s.tracks };
      delete tracks[msg.track.id];
      s.tracks = tracks;
      return s;
    }
    case 'slots': {
      s.slots = {};
      for (const slot of msg.slots || []) {
        s.slots[slot.mid] = { ...slot };
      }
      return s;
    }
    case 'dominant-speaker':
      s.dominantSpeaker = msg.participantId || null;
      return s;
    case 'meeting-updated':
      s.title = msg.title ?? s.title;
      s.recording = !!msg.recording;
      s.captionsEnabled = !!msg.captionsEnabled;
      return s;
    case 'meeting-ended':
      s.phase = 'ended';
      return s;
    case 'error':
      s.lastError = { code: msg.code, message: msg.message };
      if (msg.code === 'bad-token' || msg.code === 'not-found' || msg.code === 'meeting-full') {
        s.phase = 'error';
      }
      return s;
    default:
      return state;
  }
}

/**
 * One tile per connected participant: self first, then those a video slot shows (the SFU sends
 * at most last-N videos), then everyone else in join order, who get an avatar with their
 * initials and name. `videoMid` is the receive transceiver showing the participant, or null.
 */
export function tiles(state) {
  const videoMidOf = {};
  for (const slot of Object.values(state.slots)) {
    if (slot.kind === 'video' && slot.participantId && !isScreen(state, slot)) {
      videoMidOf[slot.participantId] = slot.mid;
    }
  }
  const list = Object.values(state.participants).map((p) => {
    const own = Object.values(state.tracks).filter((t) => t.participantId === p.id);
    const audio = own.find((t) => t.kind === 'audio');
    const video = own.find((t) => t.kind === 'video' && t.source !== 'screen');
    const self = p.id === state.participantId;
    return {
      id: p.id,
      name: p.displayName,
      initials: initials(p.displayName),
      self,
      audioMuted: !audio || audio.muted,
      videoOff: !video || video.muted,
      videoMid: self ? null : videoMidOf[p.id] || null,
      pinned: state.pinned.includes(p.id),
      speaking: state.dominantSpeaker === p.id,
      host: p.role === 'host',
      handRaised: (state.hands || []).includes(p.id),
    };
  });
  const rank = (t) => (t.self ? 0 : t.videoMid ? 1 : 2);
  list.sort((a, b) => rank(a) - rank(b)); // stable: join order within each group
  return list;
}

function isScreen(state, slot) {
  const t = slot.trackId && state.tracks[slot.trackId];
  return Boolean(t && t.source === 'screen');
}

/**
 * The screens shared by others that a receive slot shows now: { mid, participantId, name }, the
 * first one is shown large above the tiles.
 */
export function screenShares(state) {
  return Object.values(state.slots)
    .filter((slot) => slot.kind === 'video' && slot.participantId && isScreen(state, slot))
    .map((slot) => ({
      mid: slot.mid,
      participantId: slot.participantId,
      name: (state.participants[slot.participantId] || {}).displayName || '',
    }));
}

/** Up to two initials for an avatar tile ("Ada Lovelace" → "AL", "bob" → "B"). */
export function initials(name) {
  const words = String(name || '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return '?';
  }
  const first = [...words[0]][0];
  const last = words.length > 1 ? [...words[words.length - 1]][0] : '';
  return (first + last).toUpperCase();
}

/** Pins or unpins a participant (at most `max` pins, the newest kept); returns the new state. */
export function togglePin(state, participantId, max) {
  const pinned = state.pinned.includes(participantId)
    ? state.pinned.filter((id) => id !== participantId)
    : [...state.pinned, participantId].slice(-Math.max(1, max || 1));
  return { ...state, pinned };
}

/** The participant a receive slot (transceiver mid) shows now, or null. */
export function participantForMid(state, mid) {
  const slot = state.slots[mid];
  return slot && slot.participantId ? slot.participantId : null;
}

/** The meeting id in a /m/<id> path, or null. */
export function meetingIdFromPath(pathname) {
  const m = /^\/m\/([a-z]{3}-[a-z]{4}-[a-z]{3})\/?$/.exec(pathname || '');
  return m ? m[1] : null;
}

/** Validates a display name the way the server does; returns an error sentence or null. */
export function displayNameError(name) {
  const n = (name || '').trim();
  if (n.length === 0) {
    return t('room.nameMissing');
  }
  if (n.length > 100) {
    return t('room.nameTooLong', { max: 100 });
  }
  return null;
}
