// Live captions overlay: connects to /ws/meetings/<id>/captions (one CaptionEvent per message,
// protobuf JSON mapping) and shows at most two lines, each with the speaker's name; an interim
// line is replaced in place by later revisions and by its final text. The room page imports
// it:  import { startCaptions } from './captions.js';  startCaptions(meetingId, element);
// The state functions are pure (tested under node); only startCaptions touches the DOM.

export const MAX_LINES = 2;
// Caption practice: a line of at most ~42 characters; two of them per segment on screen.
export const MAX_CHARS = 84;

/** Caption text sizes a viewer cycles through (the room's "Caption size" button), 1 = 1.25rem. */
export const CAPTION_SCALES = [1, 1.25, 1.5, 2, 0.75];

/** The size after {@code scale} in the cycle; an unknown or malformed one starts it again. */
export function nextCaptionScale(scale) {
  const i = CAPTION_SCALES.indexOf(Number(scale));
  return CAPTION_SCALES[(i + 1) % CAPTION_SCALES.length];
}

/** A stored size, or 1 when there is none or it is not one of ours. */
export function captionScale(stored) {
  const n = Number(stored);
  return CAPTION_SCALES.includes(n) ? n : 1;
}

/** An empty caption state. */
export function initialCaptions() {
  return { segments: new Map(), order: [], enabled: true, language: '' };
}

/**
 * Applies one message (a CaptionEvent or a CaptionControl) and returns the new state.
 * Keeps only the highest revision of a segment; a retracted segment disappears.
 */
export function applyCaption(state, msg) {
  if (!msg || typeof msg !== 'object') {
    return state;
  }
  if (!('segmentId' in msg)) {
    if ('meetingId' in msg && ('enabled' in msg || 'languageCode' in msg)) {
      const enabled = msg.enabled === true;
      return {
        ...state,
        enabled,
        language: msg.languageCode || '',
        segments: enabled ? state.segments : new Map(),
        order: enabled ? state.order : [],
      };
    }
    return state;
  }
  const id = msg.segmentId;
  const revision = Number(msg.revision || 0);
  const old = state.segments.get(id);
  if (old && revision <= old.revision) {
    return state;
  }
  const segments = new Map(state.segments);
  let order = state.order.filter((s) => s !== id);
  if (msg.kind === 'CAPTION_KIND_RETRACTED') {
    segments.delete(id);
  } else {
    segments.set(id, {
      id,
      revision,
      speaker: msg.speakerDisplayName || '',
      text: msg.text || '',
      final: msg.kind === 'CAPTION_KIND_FINAL',
      start: parseDuration(msg.mediaStart),
    });
    order.push(id);
    order.sort((a, b) => segments.get(a).start - segments.get(b).start);
  }
  // Only what can still be shown is kept: memory stays bounded in long meetings.
  while (order.length > MAX_LINES * 4) {
    segments.delete(order.shift());
  }
  return { ...state, segments, order };
}

/** The lines to show now: at most MAX_LINES, oldest first, text trimmed from the front. */
export function visibleLines(state) {
  return state.order.slice(-MAX_LINES).map((id) => {
    const s = state.segments.get(id);
    const text = s.text.length > MAX_CHARS ? '…' + s.text.slice(s.text.length - MAX_CHARS + 1) : s.text;
    return { id, speaker: s.speaker, text, final: s.final };
  });
}

/** "83.240s" (protobuf JSON Duration) → milliseconds; 0 when absent or malformed. */
export function parseDuration(d) {
  if (typeof d !== 'string' || !d.endsWith('s')) {
    return 0;
  }
  const n = Number(d.slice(0, -1));
  return Number.isFinite(n) ? Math.round(n * 1000) : 0;
}

/** ws(s)://host/ws/meetings/<id>/captions for the page's origin. */
export function captionsUrl(meetingId, loc = globalThis.location) {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws/meetings/${encodeURIComponent(meetingId)}/captions`;
}

/** Renders the lines into `el` (replacing its content). */
export function renderCaptions(el, state) {
  const doc = el.ownerDocument;
  el.replaceChildren(...visibleLines(state).map((line) => {
    const div = doc.createElement('div');
    div.className = line.final ? 'caption-line' : 'caption-line interim';
    div.dataset.segmentId = line.id;
    const who = doc.createElement('span');
    who.className = 'caption-speaker';
    who.textContent = line.speaker;
    const what = doc.createElement('span');
    what.className = 'caption-text';
    what.textContent = line.text;
    div.append(who, what);
    return div;
  }));
  el.hidden = !state.enabled || state.order.length === 0;
}

/**
 * Shows the meeting's captions in `el` until the returned stop() is called. Reconnects with
 * backoff (0.5 s doubling to 10 s) if the socket drops; a late joiner first receives the
 * meeting's last lines from the server.
 */
export function startCaptions(meetingId, el, { WebSocketImpl = globalThis.WebSocket, url } = {}) {
  let state = initialCaptions();
  let socket = null;
  let stopped = false;
  let backoff = 500;
  let timer = null;
  const target = url || captionsUrl(meetingId);

  const connect = () => {
    socket = new WebSocketImpl(target);
    socket.onopen = () => {
      backoff = 500;
    };
    socket.onmessage = (ev) => {
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return; // not a caption; ignore rather than break the overlay
      }
      state = applyCaption(state, msg);
      renderCaptions(el, state);
    };
    socket.onclose = () => {
      if (!stopped) {
        timer = setTimeout(connect, backoff);
        backoff = Math.min(10_000, backoff * 2);
      }
    };
  };
  connect();
  return {
    get state() {
      return state;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      if (socket) {
        socket.close();
      }
    },
  };
}
