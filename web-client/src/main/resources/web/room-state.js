// Room state as the signaling messages describe it: pure functions, no DOM, no network,
// so node:test can check them. room.js owns the page and the RTCPeerConnection.

export function initialState(meetingId) {
  return {
    meetingId,
    phase: 'prejoin', // prejoin → joining → joined → left | ended | error
    title: '',
    participantId: null,
    displayName: '',
    role: null,
    participants: {}, // id → { id, displayName, role, kind }
    tracks: {}, // id → { id, participantId, kind, source, muted }
    slots: {}, // mid → { mid, kind, trackId, participantId }
    dominantSpeaker: null,
    recording: false,
    captionsEnabled: false,
    lastError: null,
  };
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
      s.tracks = {};
      for (const t of msg.tracks || []) {
        s.tracks[t.id] = { ...t };
      }
      s.dominantSpeaker = msg.dominantSpeaker || null;
      s.recording = !!msg.recording;
      s.captionsEnabled = !!msg.captionsEnabled;
      return s;
    }
    case 'participant-joined':
      s.participants = { ...s.participants, [msg.participant.id]: { ...msg.participant } };
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

/** One tile per connected participant, in join order, self first. */
export function tiles(state) {
  const list = Object.values(state.participants).map((p) => {
    const own = Object.values(state.tracks).filter((t) => t.participantId === p.id);
    const audio = own.find((t) => t.kind === 'audio');
    const video = own.find((t) => t.kind === 'video');
    return {
      id: p.id,
      name: p.displayName,
      self: p.id === state.participantId,
      audioMuted: !audio || audio.muted,
      videoOff: !video || video.muted,
      speaking: state.dominantSpeaker === p.id,
      host: p.role === 'host',
    };
  });
  list.sort((a, b) => (a.self === b.self ? 0 : a.self ? -1 : 1));
  return list;
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
    return 'Enter your name.';
  }
  if (n.length > 100) {
    return 'Your name can have at most 100 characters.';
  }
  return null;
}
