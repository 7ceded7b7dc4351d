// The meeting page (/m/<id>): prejoin (name, microphone and camera preview), then the room:
// one tile per participant, mute/camera/leave, talking to the signaling WebSocket and the
// SFU through one RTCPeerConnection. The browser always offers; the server only answers.
// It receives on a fixed set of slots (3 audio, up to 9 video: receive-slots.js) whatever
// the meeting's size; participants no video slot shows get an avatar tile.
// Automation hooks: #display-name, #join, tiles with data-participant-id/-name,
// window.steno.state and window.steno.getStats().

import {
  initialState, applyMessage, tiles, meetingIdFromPath, displayNameError, togglePin, screenShares, chatPieces,
} from './room-state.js';
import { ReceiveSlots, MAX_AUDIO, videoSlotsFor } from './receive-slots.js';
import { roomView } from './layout.js';
import { startCaptions, nextCaptionScale, captionScale } from './captions.js';
import { CAMERA, cameraEncodings, tileSizes, TileSizeReporter } from './simulcast.js';
import { postJson, whoAmI } from './session.js';
import { t, key, has, initPage, onLanguageChange, serverText, formatRelative } from './i18n.js';

const $ = (id) => document.getElementById(id);

let state = initialState(meetingIdFromPath(location.pathname));
let pc = null;
let ws = null;
let localStream = null;
let receive = null; // the receive slots and offer/answer of the peer connection
const roomLayout = { layout: 'grid', page: 0 }; // the viewer's choice: grid or speaker view, and the page
let tileReporter = null; // tells the SFU how large each video tile is (it picks simulcast layers by it)
let maxVideo = videoSlotsFor(window.innerWidth, window.innerHeight); // tiles the window fits, asked of the SFU
const remoteTracks = new Map(); // mid → MediaStreamTrack
let captions = null; // the caption overlay's connection while in the room
// The camera/microphone request in flight: joining waits for it, or a quick click on Join
// would offer no tracks and the others would never hear this participant.
let preview = Promise.resolve();
let screen = null; // { transceiver, track } while this page shares a screen

function setState(next) {
  state = next;
  window.steno.state = state;
  document.getElementById('room-app').dataset.phase = state.phase;
  render();
}

window.steno = {
  state,
  messages: [],
  /** Uncaught errors of this page, newest last (tests print them when a wait fails). */
  errors: [],
  /** Every stats report of the peer connection, as plain objects. */
  async getStats() {
    if (!pc) {
      return [];
    }
    const out = [];
    (await pc.getStats()).forEach((r) => out.push(r));
    return out;
  },
  get peerConnection() {
    return pc;
  },
  /** Offers sent on this peer connection and the size of the last one (tests). */
  get offers() {
    return receive ? { count: receive.offers, lastBytes: receive.lastOfferBytes, maxVideo } : null;
  },
  /**
   * Shares a screen, or stops sharing it. `track` (tests: a canvas's captureStream track) replaces
   * the browser's own picker, getDisplayMedia.
   */
  shareScreen(track) {
    return toggleScreen(track);
  },
  /** Drops the signaling socket as a network failure would (tests of reconnection). */
  dropConnection() {
    if (ws) {
      ws.close(4000, 'dropped by a test');
    }
  },
  /** The tile sizes last sent to the SFU ({ mid: [width, height] }) and how many messages (tests). */
  get tileSizes() {
    return tileReporter ? { sent: tileReporter.sent, messages: tileReporter.messages } : null;
  },
  /** Asks the SFU for these participants' video first. */
  pin(participantIds) {
    setState({ ...state, pinned: [...participantIds] });
    send({ type: 'pin', participantIds: state.pinned });
  },
};

function show(id, visible) {
  $(id).hidden = !visible;
}

const tr = t; // render()'s loops name a tile t

// What #room-message says: a message key (with its parameters), a function giving the text, or
// the server's own sentence; kept so that a change of language says it again in the other one.
let shownMessage = null;

function message(what, params) {
  shownMessage = what ? { what, params } : null;
  renderMessage();
}

function renderMessage() {
  const m = $('room-message');
  let text = '';
  if (shownMessage) {
    const { what, params } = shownMessage;
    const values = Object.fromEntries(Object.entries(params || {}).map(([k, v]) => [k, typeof v === 'function' ? v() : v]));
    text = typeof what === 'function' ? what() : (has(what, 'en') ? t(what, values) : String(what));
  }
  m.textContent = text;
  m.hidden = !text;
}

let meetingTitle = null; // null until the meeting is read; '' when it has no title
let waiting = null; // { title, recording, captions } while in the lobby

function renderTitle() {
  $('meeting-title').textContent = meetingTitle === null ? '' : (meetingTitle || t('meetings.untitled', { id: state.meetingId }));
}

/** The recording and transcription notice, one sentence each; '' when neither is on. */
function notices(recording, captionsOn) {
  return [recording ? t('notice.recording') : '', captionsOn ? t('notice.transcription') : ''].filter(Boolean).join(' ');
}

function renderWaiting() {
  if (!waiting) {
    return;
  }
  $('waiting-title').textContent = waiting.title || t('meetings.untitled', { id: state.meetingId });
  // Not running (ended, or no host yet): nobody can let them in until a host opens it.
  const status = waiting.live ? 'lobby.status' : 'lobby.notLive';
  $('waiting-status').dataset.i18n = status;
  $('waiting-status').textContent = t(status);
  const notes = notices(waiting.recording, waiting.captions);
  $('waiting-notice').textContent = notes;
  $('waiting-notice').hidden = !notes;
}

/** Each toggle's label follows its aria-pressed: [label when not pressed, label when pressed]. */
const CONTROL_LABELS = {
  mute: [key('controls.mute'), key('controls.unmute')],
  camera: [key('controls.cameraOff'), key('controls.cameraOn')],
  'share-screen': [key('controls.share'), key('controls.stopSharing')],
  'raise-hand': [key('controls.raiseHand'), key('controls.lowerHand')],
  record: [key('controls.record'), key('controls.stopRecording')],
  cc: [key('controls.captions'), key('controls.captionsOff')],
  lock: [key('controls.lock'), key('controls.unlock')],
  layout: [key('controls.speakerView'), key('controls.gridView')],
};

function labelControls() {
  for (const [id, [off, on]] of Object.entries(CONTROL_LABELS)) {
    const b = $(id);
    b.textContent = t(b.getAttribute('aria-pressed') === 'true' ? on : off);
  }
  labelCaptionSize();
}

// ---- caption size (each viewer's own, kept in the browser) ----

const CAPTION_SCALE_KEY = 'steno.captionScale';

function storedCaptionScale() {
  try {
    return captionScale(localStorage.getItem(CAPTION_SCALE_KEY));
  } catch (e) {
    return 1;
  }
}

function applyCaptionScale(scale) {
  $('captions').style.setProperty('--caption-scale', String(scale));
  $('caption-size').dataset.scale = String(scale);
  labelCaptionSize();
}

function labelCaptionSize() {
  const b = $('caption-size');
  const percent = String(Math.round(Number(b.dataset.scale || 1) * 100));
  b.textContent = t('controls.captionSize', { percent });
}

function nextCaptionSize() {
  const scale = nextCaptionScale(storedCaptionScale());
  try {
    localStorage.setItem(CAPTION_SCALE_KEY, String(scale));
  } catch (e) {
    // private mode: the size holds for this page only
  }
  applyCaptionScale(scale);
}

/** The control bar's height, for what floats above it (the captions). */
function followControlsHeight() {
  const bar = document.querySelector('.controls');
  const set = () => document.documentElement.style.setProperty('--controls-height', `${bar.getBoundingClientRect().height}px`);
  set();
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(set).observe(bar);
  }
}

/** A host's buttons on another's tile: their labels, and their names with the participant's. */
const HOST_ACTIONS = {
  'mute-audio': key('host.mute'), 'stop-video': key('host.stopVideo'), 'lower-hand': key('host.lowerHand'),
  remove: key('host.remove'), 'make-host': key('host.makeHost'), 'make-participant': key('host.makeParticipant'),
  'ask-unmute': key('host.askUnmute'), 'ask-video': key('host.askVideo'),
};
const HOST_ACTION_NAMES = {
  'mute-audio': key('host.muteName'), 'stop-video': key('host.stopVideoName'), 'lower-hand': key('host.lowerHandName'),
  remove: key('host.removeName'), 'make-host': key('host.makeHostName'), 'make-participant': key('host.makeParticipantName'),
  'ask-unmute': key('host.askUnmuteName'), 'ask-video': key('host.askVideoName'),
};

// ---- prejoin ----------------------------------------------------------------------

async function startPreview() {
  const wantMic = $('prejoin-mic').checked;
  const wantCam = $('prejoin-camera').checked;
  if (localStream) {
    localStream.getTracks().forEach((t) => t.stop());
    localStream = null;
  }
  if (!wantMic && !wantCam) {
    $('preview').srcObject = null;
    $('preview-note').textContent = t('room.previewOff');
    return;
  }
  try {
    // 540p when the camera has it: simulcast sends it as 240×135, 480×270 and 960×540, and
    // Chromium drops the top layer of a smaller camera (two layers at 640×480).
    localStream = await navigator.mediaDevices.getUserMedia({ audio: wantMic, video: wantCam ? CAMERA : false });
    $('preview').srcObject = localStream;
    $('preview-note').textContent = '';
  } catch (e) {
    $('preview-note').textContent = t('room.previewUnavailable', { name: e.name });
  }
}

async function loadMeeting() {
  if (!state.meetingId) {
    message(key('room.notALink'));
    return false;
  }
  let res;
  try {
    res = await fetch(`/api/meetings/${state.meetingId}`);
  } catch (e) {
    message(key('room.unreachable'));
    return false;
  }
  if (res.status === 404) {
    message(key('room.noSuchMeeting'));
    return false;
  }
  if (!res.ok) {
    message(key('room.cannotOpen'), { status: String(res.status) });
    return false;
  }
  const m = await res.json();
  meetingTitle = m.title || '';
  renderTitle();
  return true;
}

async function onJoin(event) {
  event.preventDefault();
  const name = $('display-name').value.trim();
  const err = displayNameError(name);
  $('display-name-error').textContent = err || '';
  if (err) {
    $('display-name').focus();
    return;
  }
  try {
    localStorage.setItem('steno.displayName', name);
  } catch (e) {
    // private mode: nothing to remember
  }
  await join(name);
}

let joinAttempt = 0; // a cancelled wait ignores the answer still on its way

async function join(name, reconnecting = false) {
  const attempt = ++joinAttempt;
  $('join').disabled = true;
  if (state.phase !== 'waiting') {
    setState({ ...initialState(state.meetingId), phase: 'joining' });
  }
  await preview;
  let res;
  try {
    res = await postJson(`/api/meetings/${state.meetingId}/join`, { displayName: name });
  } catch (e) {
    if (reconnecting) {
      return reconnect();
    }
    return failJoin(t('room.joinUnreachable'));
  }
  const body = await res.json().catch(() => ({}));
  if (attempt !== joinAttempt) {
    return undefined;
  }
  if (res.status === 202 && body.status === 'waiting') {
    return waitInLobby(name, body);
  }
  stopWaiting();
  if (!res.ok && reconnecting && (res.status >= 500 || res.status === 429)) {
    return reconnect(); // the server is restarting or busy: try again later
  }
  if (!res.ok) {
    return failJoin(body.error || t('room.joinFailed', { status: String(res.status) }));
  }
  connect(body.token, $('prejoin-shared-mic').checked);
}

// ---- lobby (waiting to be let in) ----------------------------------------------------

let waitTimer = null;

/** The meeting's access level sends this person to the lobby: ask again every few seconds until let in. */
function waitInLobby(name, body) {
  setState({ ...state, phase: 'waiting' });
  waiting = { title: body.title || '', recording: Boolean(body.recording), captions: Boolean(body.captionsEnabled),
    live: body.live !== false };
  renderWaiting();
  clearTimeout(waitTimer);
  waitTimer = setTimeout(() => join(name), Math.max(1, body.pollSeconds || 2) * 1000);
}

function stopWaiting() {
  clearTimeout(waitTimer);
  waitTimer = null;
}

function failJoin(text) {
  $('join').disabled = false;
  setState({ ...state, phase: 'prejoin' });
  $('display-name-error').textContent = text;
}

// ---- signaling ----------------------------------------------------------------------

// sharedMicrophone: several people speak into this microphone, so the pipeline diarizes it.
function connect(token, sharedMicrophone) {
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  // The join token goes in the first message, never in the URL (URLs end up in logs).
  ws = new WebSocket(`${proto}://${location.host}/ws/meetings/${state.meetingId}`);
  ws.addEventListener('open', () => {
    maxVideo = videoSlotsFor(window.innerWidth, window.innerHeight);
    ws.send(JSON.stringify({ type: 'join', token, sharedMicrophone: !!sharedMicrophone, maxVideo }));
  });
  ws.addEventListener('message', (ev) => {
    let msg;
    try {
      msg = JSON.parse(ev.data);
    } catch (e) {
      return;
    }
    onSignal(msg);
  });
  const socket = ws;
  ws.addEventListener('close', (ev) => {
    if (ev.code && ev.code !== 1000) {
      console.warn(`signaling closed: ${ev.code} ${ev.reason}`);
    }
    if (socket !== ws) {
      return; // an older socket, already replaced by a reconnection
    }
    if (state.phase === 'joined' && !FINAL_CLOSES.includes(ev.code)) {
      teardown();
      reconnect();
    } else if (state.phase === 'joined') {
      teardown();
      setState({ ...state, phase: 'left' });
      message(key('room.connectionLost'));
    } else if (state.phase === 'replaced') {
      setState({ ...state, phase: 'left' });
      message(key('room.replaced'));
    } else if (state.phase === 'removed') {
      setState({ ...state, phase: 'left' });
      message(key('room.removed'));
    }
  });
}

// Closes after which coming back by itself would be wrong: we left, a bad token, removed, replaced, ended.
const FINAL_CLOSES = [1000, 4401, 4403, 4404, 4408, 4409, 4410];
let reconnectTimer = null;
let reconnectAttempts = 0;

/**
 * The signaling socket or the media connection was lost: join again (the server lets this browser
 * back in without the lobby and replaces its old presence), waiting 1, 2, 4… up to 30 s between tries.
 */
function reconnect() {
  clearTimeout(reconnectTimer);
  const delay = Math.min(30, 2 ** reconnectAttempts) * 1000;
  reconnectAttempts += 1;
  setState({ ...state, phase: 'joining' });
  message(reconnectAttempts > 1 ? key('room.reconnectingAttempt') : key('room.reconnecting'),
    { attempt: reconnectAttempts, when: () => formatRelative(delay / 1000) });
  reconnectTimer = setTimeout(() => {
    preview = localStream ? Promise.resolve() : startPreview();
    join($('display-name').value.trim(), true);
  }, delay);
}

function recordError(what) {
  window.steno.errors.push(String(what));
  if (window.steno.errors.length > 20) {
    window.steno.errors.shift();
  }
}
window.addEventListener('error', (ev) => recordError(ev.message));
window.addEventListener('unhandledrejection', (ev) => recordError(ev.reason && ev.reason.stack ? ev.reason.stack : ev.reason));

function send(obj) {
  if (ws && ws.readyState === WebSocket.OPEN) {
    ws.send(JSON.stringify(obj));
  }
}

function onSignal(msg) {
  // The last signaling messages, for debugging and tests (window.steno.messages).
  window.steno.messages.push(msg.type === 'answer' ? { type: 'answer' } : msg);
  if (window.steno.messages.length > 100) {
    window.steno.messages.shift();
  }
  const before = state;
  try {
    setState(applyMessage(state, msg));
  } catch (e) {
    // A drawing error must not cost the message its effect (an unanswered renegotiate stalls the media).
    recordError(e && e.stack ? e.stack : e);
  }
  switch (msg.type) {
    case 'joined':
      message(reconnectAttempts > 0 ? key('room.reconnected') : '');
      reconnectAttempts = 0;
      if (msg.role === 'host') {
        loadSettings();
      }
      startMedia(before);
      startCaptionOverlay();
      break;
    case 'answer':
      if (receive) {
        receive.onAnswer(msg.sdp);
      }
      break;
    case 'renegotiate':
      // An absolute target: add what is missing, offer again only if something was.
      if (receive) {
        receive.onRenegotiate(msg);
      }
      break;
    case 'error':
      // Any error while an offer is out means no answer will come for it.
      if (receive && ['bad-sdp', 'not-ready', 'internal', 'not-joined', 'bad-message', 'too-large'].includes(msg.code)) {
        receive.fail(new Error(msg.message));
      }
      if (state.phase === 'error') {
        message(() => serverText('ws.error', msg.code, msg.message, { detail: msg.message }));
      }
      break;
    case 'notice':
      message(() => serverText('ws.notice', msg.code, msg.message, { detail: msg.message }));
      break;
    case 'muted-by-host':
      // The host turned it off; only this person turns it back on.
      // Turned off here, whatever the state says: the server has already marked the track muted.
      if (msg.kind === 'audio') {
        setMicMuted(true);
      } else if (msg.kind === 'video' && $('camera').getAttribute('aria-pressed') !== 'true') {
        toggleCamera();
      }
      message(msg.kind === 'audio' ? key('room.mutedByHost') : key('room.cameraOffByHost'));
      break;
    case 'unmute-requested':
      message(msg.kind === 'audio' ? key('room.unmuteRequested') : key('room.cameraRequested'));
      break;
    case 'removed':
    case 'replaced':
      teardown();
      break;
    case 'meeting-ended':
      teardown();
      message(key('room.ended'));
      break;
    default:
      break;
  }
}

// ---- media ----------------------------------------------------------------------------

function startMedia() {
  pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
  receive = new ReceiveSlots(pc, {
    send,
    maxVideo,
    capabilities: (kind) => (window.RTCRtpReceiver && RTCRtpReceiver.getCapabilities ? RTCRtpReceiver.getCapabilities(kind) : null),
    onError: (e) => {
      recordError(e && e.stack ? e.stack : e);
      message(key('room.mediaFailed'), { detail: e.message });
    },
  });
  pc.addEventListener('track', (ev) => {
    const mid = ev.transceiver && ev.transceiver.mid;
    if (mid != null) {
      remoteTracks.set(mid, ev.track);
      render();
    }
  });
  const connection = pc;
  pc.addEventListener('connectionstatechange', () => {
    document.getElementById('room-app').dataset.connection = connection.connectionState;
    if (connection.connectionState === 'failed' && connection === pc && ws) {
      ws.close(4000, 'media connection failed'); // the close handler joins again
    }
  });
  const mic = localStream && localStream.getAudioTracks()[0];
  const cam = localStream && localStream.getVideoTracks()[0];
  if (mic) {
    receive.preferSfuCodecs(pc.addTransceiver(mic, { direction: 'sendonly', streams: [localStream] }), 'audio');
  }
  if (cam) {
    // A camera large enough goes out as three layers (simulcast); the SFU forwards each viewer one.
    const sendEncodings = cameraEncodings(cam.getSettings());
    const init = { direction: 'sendonly', streams: [localStream], ...(sendEncodings ? { sendEncodings } : {}) };
    receive.preferSfuCodecs(pc.addTransceiver(cam, init), 'video');
  }
  tileReporter = new TileSizeReporter(send);
  // A first guess from the roster saves a round trip; the SFU's renegotiate sets the target after.
  const others = Math.max((state.participantCount || Object.keys(state.participants).length) - 1, 1);
  receive.reach({ audio: Math.min(others, MAX_AUDIO), video: Math.min(others, maxVideo) });
  receive.negotiate();
  if (!$('prejoin-mic').checked || !mic) {
    send({ type: 'mute', kind: 'audio', muted: true });
  }
}

function teardown() {
  if (screen) {
    screen.track.stop();
    screen = null;
    $('share-screen').setAttribute('aria-pressed', 'false');
    labelControls();
  }
  tileReporter = null;
  if (receive) {
    receive.close();
    receive = null;
  }
  if (pc) {
    pc.close();
    pc = null;
  }
  remoteTracks.clear();
  $('remote-audio').replaceChildren();
  stopCaptionOverlay();
}

// ---- controls ---------------------------------------------------------------------------

function toggleMute() {
  const self = tiles(state).find((t) => t.self);
  setMicMuted(!(self ? self.audioMuted : false));
}

/** Turns this page's microphone off or on, tells the server, and shows it on the Mute button. */
function setMicMuted(muted) {
  const mic = localStream && localStream.getAudioTracks()[0];
  if (mic) {
    mic.enabled = !muted;
  }
  send({ type: 'mute', kind: 'audio', muted });
  $('mute').setAttribute('aria-pressed', String(muted));
  labelControls();
}

function toggleCamera() {
  const cam = localStream && localStream.getVideoTracks()[0];
  const off = $('camera').getAttribute('aria-pressed') !== 'true';
  if (cam) {
    cam.enabled = !off;
  }
  send({ type: 'mute', kind: 'video', muted: off });
  $('camera').setAttribute('aria-pressed', String(off));
  labelControls();
}

// ---- screen sharing -------------------------------------------------------------------------

/** Starts sharing a screen on its own transceiver (marked a=content:slides for the SFU), or stops. */
async function toggleScreen(given) {
  if (screen) {
    return stopScreen();
  }
  if (!pc || !receive) {
    return false;
  }
  let track = given;
  if (!track) {
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      track = stream.getVideoTracks()[0];
    } catch (e) {
      message(e.name === 'NotAllowedError' ? key('room.shareRefused') : key('room.shareFailed'), { name: e.name });
      return false;
    }
  }
  const transceiver = pc.addTransceiver(track, { direction: 'sendonly', streams: [new MediaStream([track])] });
  receive.preferSfuCodecs(transceiver, 'video');
  receive.markScreen(transceiver);
  screen = { transceiver, track };
  track.addEventListener('ended', () => stopScreen()); // the browser's own "Stop sharing"
  $('share-screen').setAttribute('aria-pressed', 'true');
  labelControls();
  render();
  await receive.negotiate();
  return true;
}

async function stopScreen() {
  const s = screen;
  screen = null;
  $('share-screen').setAttribute('aria-pressed', 'false');
  labelControls();
  if (s) {
    s.track.stop();
    if (pc && receive) {
      await s.transceiver.sender.replaceTrack(null).catch(() => {});
      s.transceiver.direction = 'inactive'; // the SFU unpublishes the screen track
      await receive.negotiate();
    }
  }
  render();
  return false;
}

/** The first screen someone shares, large above the tiles (or this page's own, while it shares). */
function renderScreenStage() {
  const stage = $('screen-stage');
  const video = $('screen-video');
  const remote = screenShares(state).find((s) => remoteTracks.get(s.mid));
  const track = remote ? remoteTracks.get(remote.mid) : (screen ? screen.track : null);
  stage.hidden = !track;
  stage.dataset.participantId = remote ? remote.participantId : (screen ? state.participantId : '');
  $('screen-caption').textContent = remote ? t('room.screenOf', { name: remote.name }) : (screen ? t('room.sharingYours') : '');
  if (track && (!video.srcObject || video.srcObject.getVideoTracks()[0] !== track)) {
    video.srcObject = new MediaStream([track]);
  } else if (!track && video.srcObject) {
    video.srcObject = null;
  }
}

function leave() {
  send({ type: 'leave' });
  teardown();
  if (ws) {
    ws.close();
    ws = null;
  }
  setState({ ...state, phase: 'left' });
}

// ---- rendering --------------------------------------------------------------------------

/** "✋ hand raised · host · muted · speaking": a participant's state, on their tile and in the people list. */
function personState(t) {
  return [t.handRaised ? `✋ ${tr('tile.handRaised')}` : '', t.host ? tr('tile.host') : '',
    t.audioMuted ? tr('tile.muted') : '', t.speaking ? tr('tile.speaking') : '']
    .filter(Boolean).join(' · ');
}

/** A host's buttons for another participant (shown to hosts only): on their tile and in the people list. */
function createHostActions(participantId) {
  const actions = document.createElement('span');
  actions.className = 'host-actions';
  for (const control of ['mute-audio', 'stop-video', 'lower-hand', 'remove', 'make-host']) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'button small';
    b.dataset.action = control;
    b.addEventListener('click', () => hostPost(`participants/${encodeURIComponent(participantId)}/${b.dataset.action}`, {}));
    actions.append(b);
  }
  return actions;
}

function updateHostActions(actions, t, selfIsHost) {
  actions.hidden = !selfIsHost;
  actions.querySelector('[data-action="lower-hand"]').hidden = !t.handRaised;
  const coHost = actions.querySelector('[data-action="make-host"], [data-action="make-participant"]');
  coHost.dataset.action = t.host ? 'make-participant' : 'make-host';
  // A host turns a microphone or camera off, never on: once off, the button asks the person instead.
  actions.querySelector('[data-action="mute-audio"], [data-action="ask-unmute"]').dataset.action = t.audioMuted ? 'ask-unmute' : 'mute-audio';
  actions.querySelector('[data-action="stop-video"], [data-action="ask-video"]').dataset.action = t.videoOff ? 'ask-video' : 'stop-video';
  for (const b of actions.querySelectorAll('button[data-action]')) {
    b.textContent = tr(HOST_ACTIONS[b.dataset.action]);
    b.setAttribute('aria-label', tr(HOST_ACTION_NAMES[b.dataset.action], { name: t.name }));
  }
}

/** A participant's name, state and a host's actions on their tile or their line of the people list. */
function showPerson(node, t, selfIsHost, nameSelector, stateSelector) {
  node.dataset.muted = String(t.audioMuted);
  node.dataset.speaking = String(t.speaking);
  node.dataset.handRaised = String(t.handRaised);
  node.querySelector(nameSelector).textContent = t.self ? tr('room.you', { name: t.name }) : t.name;
  node.querySelector(stateSelector).textContent = personState(t);
  const actions = node.querySelector('.host-actions');
  if (actions) {
    updateHostActions(actions, t, selfIsHost);
  }
}

/**
 * Everyone in the meeting, whether on a tile of this page or not (a meeting of 150 shows a page of
 * tiles): name, state, and a host's actions. Keyed by participant, like the tiles.
 */
function renderPeople(everyone, selfIsHost) {
  const list = $('people-list');
  $('people-count').textContent = String(everyone.length);
  const keep = new Set(everyone.map((t) => t.id));
  for (const li of [...list.children]) {
    if (!keep.has(li.dataset.personId)) {
      li.remove();
    }
  }
  everyone.forEach((t, i) => {
    let li = list.querySelector(`[data-person-id="${CSS.escape(t.id)}"]`);
    if (!li) {
      li = document.createElement('li');
      li.dataset.personId = t.id;
      li.innerHTML = '<span class="person-name"></span> <span class="person-state"></span>';
      if (!t.self) {
        li.append(' ', createHostActions(t.id));
      }
    }
    if (list.children[i] !== li) {
      list.insertBefore(li, list.children[i] || null);
    }
    showPerson(li, t, selfIsHost, '.person-name', '.person-state');
  });
}

function render() {
  show('prejoin', state.phase === 'prejoin' || state.phase === 'joining' || state.phase === 'error');
  show('room', state.phase === 'joined');
  show('waiting', state.phase === 'waiting');
  show('left', state.phase === 'left');
  const notice = $('room-notice');
  const notes = notices(state.recording, state.captionsEnabled);
  notice.textContent = notes;
  notice.hidden = !notes;
  renderHostControls();
  if (state.phase !== 'joined') {
    return;
  }
  const box = $('tiles');
  const everyone = tiles(state);
  const selfIsHost = Boolean((everyone.find((x) => x.self) || {}).host);
  renderPeople(everyone, selfIsHost);
  // A page of the grid, or the speaker large and a page of the strip (layout.js).
  const view = roomView(everyone, { ...roomLayout, width: window.innerWidth, height: window.innerHeight,
    dominantSpeaker: state.dominantSpeaker });
  roomLayout.page = view.page;
  const wanted = view.shown;
  window.steno.view = { layout: view.layout, page: view.page, pages: view.pages, perPage: view.perPage, shown: wanted.length,
    width: window.innerWidth, height: window.innerHeight };
  box.dataset.layout = view.layout;
  box.style.setProperty('--cols', String(view.cols));
  box.style.setProperty('--rows', String(view.rows));
  renderPager(view, everyone.length);
  const keep = new Set(wanted.map((t) => t.id));
  for (const el of [...box.children]) {
    if (!keep.has(el.dataset.participantId)) {
      el.remove();
    }
  }
  for (const t of wanted) {
    let el = box.querySelector(`[data-participant-id="${CSS.escape(t.id)}"]`);
    if (!el) {
      el = document.createElement('figure');
      el.className = 'tile';
      el.dataset.participantId = t.id;
      const video = document.createElement('video');
      video.autoplay = true;
      video.playsInline = true;
      video.muted = true; // audio plays through the hidden audio elements
      const avatar = document.createElement('div');
      avatar.className = 'avatar';
      avatar.setAttribute('aria-hidden', 'true');
      const cap = document.createElement('figcaption');
      cap.className = 'name';
      cap.innerHTML = '<span class="label"></span><span class="state"></span>';
      el.append(video, avatar, cap);
      if (!t.self) {
        const pin = document.createElement('button');
        pin.type = 'button';
        pin.className = 'pin';
        pin.dataset.action = 'pin';
        pin.addEventListener('click', () => {
          setState(togglePin(state, t.id, maxVideo));
          send({ type: 'pin', participantIds: state.pinned });
        });
        cap.append(pin);
        cap.append(createHostActions(t.id));
      }
      box.append(el);
    }
    el.dataset.participantName = t.name;
    el.dataset.self = String(t.self);
    el.dataset.videoOff = String(t.videoOff);
    el.dataset.pinned = String(t.pinned);
    showPerson(el, t, selfIsHost, '.label', '.state');
    const pin = el.querySelector('[data-action="pin"]');
    if (pin) {
      pin.setAttribute('aria-pressed', String(t.pinned));
      pin.textContent = tr('tile.pin');
      pin.setAttribute('aria-label', tr(t.pinned ? key('tile.unpinName') : key('tile.pinName'), { name: t.name }));
    }
    const video = el.querySelector('video');
    const track = t.self ? (localStream && localStream.getVideoTracks()[0]) : (t.videoMid && remoteTracks.get(t.videoMid));
    // No video slot shows this participant (the SFU sends last-N videos): an avatar instead.
    el.dataset.videoSlot = t.videoMid || '';
    el.dataset.avatar = String(!track);
    el.querySelector('.avatar').textContent = t.initials;
    el.querySelector('.avatar').hidden = Boolean(track);
    video.hidden = !track;
    if (track && (!video.srcObject || video.srcObject.getVideoTracks()[0] !== track)) {
      video.srcObject = new MediaStream([track]);
    } else if (!track && video.srcObject) {
      video.srcObject = null;
    }
  }
  // Tiles follow tiles()'s order: self, then those on a video slot, then avatars.
  wanted.forEach((t, i) => {
    const el = box.querySelector(`[data-participant-id="${CSS.escape(t.id)}"]`);
    if (box.children[i] !== el) {
      box.insertBefore(el, box.children[i] || null);
    }
  });
  renderAudio();
  renderScreenStage();
  renderChat();
  const mine = state.hands.includes(state.participantId);
  $('raise-hand').setAttribute('aria-pressed', String(mine));
  labelControls();
  reportTileSizes();
}

/** Previous / next page of tiles, shown only when everyone does not fit one page. */
function renderPager(view, people) {
  $('pager').hidden = view.pages <= 1;
  $('page-status').textContent = t('room.pageStatus', { page: String(view.page + 1), pages: String(view.pages), count: people });
  $('page-prev').disabled = view.page === 0;
  $('page-next').disabled = view.page >= view.pages - 1;
  const speaker = view.layout === 'speaker' || roomLayout.layout === 'speaker';
  $('layout').setAttribute('aria-pressed', String(speaker));
  $('layout').textContent = t(speaker ? 'controls.gridView' : 'controls.speakerView');
}

/** New chat messages at the bottom; text nodes and http(s) links only, never HTML. */
function renderChat() {
  const log = $('chat-log');
  const shown = new Set([...log.children].map((li) => li.dataset.seq));
  for (const c of state.chat) {
    if (shown.has(String(c.seq))) {
      continue;
    }
    const li = document.createElement('li');
    li.dataset.seq = String(c.seq);
    const who = document.createElement('strong');
    who.className = 'chat-name';
    who.textContent = c.displayName;
    const text = document.createElement('span');
    text.className = 'chat-text';
    for (const piece of chatPieces(c.text)) {
      if (piece.href) {
        const a = document.createElement('a');
        a.href = piece.href;
        a.rel = 'noopener noreferrer';
        a.target = '_blank';
        a.textContent = piece.text;
        text.append(a);
      } else {
        text.append(document.createTextNode(piece.text));
      }
    }
    li.append(who, text);
    log.append(li);
  }
  while (log.children.length > state.chat.length) {
    log.firstElementChild.remove();
  }
  log.scrollTop = log.scrollHeight;
}

/** The size of every tile showing a received video, to the SFU (only when it changed). */
function reportTileSizes() {
  if (!tileReporter || state.phase !== 'joined') {
    return;
  }
  const shown = [];
  for (const el of $('tiles').children) {
    const video = el.querySelector('video');
    if (el.dataset.self !== 'true' && el.dataset.videoSlot && video && !video.hidden) {
      shown.push({ mid: el.dataset.videoSlot, width: video.clientWidth, height: video.clientHeight });
    }
  }
  tileReporter.report(tileSizes(shown, window.devicePixelRatio || 1));
}

/** One always-playing audio element per audio receive slot: the SFU switches its source. */
function renderAudio() {
  const box = $('remote-audio');
  for (const [mid, track] of remoteTracks) {
    if (track.kind !== 'audio') {
      continue;
    }
    const existing = box.querySelector(`[data-mid="${CSS.escape(mid)}"]`);
    if (existing) {
      // A new peer connection (rejoin) reuses mids: play its track, not the dead one.
      if (!existing.srcObject || existing.srcObject.getAudioTracks()[0] !== track) {
        existing.srcObject = new MediaStream([track]);
      }
      continue;
    }
    const a = document.createElement('audio');
    a.autoplay = true;
    a.dataset.mid = mid;
    a.srcObject = new MediaStream([track]);
    box.append(a);
  }
}

// ---- host controls and captions ---------------------------------------------------------

/** Record and CC are the host's: shown only to them, pressed state from the meeting's flags. */
function renderHostControls() {
  const self = state.phase === 'joined' ? tiles(state).find((t) => t.self) : null;
  const host = Boolean(self && self.host);
  for (const [id, on] of [['record', state.recording], ['cc', state.captionsEnabled]]) {
    const b = $(id);
    b.hidden = !host;
    b.setAttribute('aria-pressed', on ? 'true' : 'false');
  }
  // Everyone's, while there are captions to size.
  $('caption-size').hidden = !(state.phase === 'joined' && state.captionsEnabled);
  $('end-meeting').hidden = !host;
  $('lock').hidden = !host;
  $('lock').setAttribute('aria-pressed', String(state.locked));
  renderLobby(host);
  labelControls();
}

/** A button of a list row: its label, data-action, accessible name and click. */
function actionButton(label, action, ariaLabel, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'button';
  b.dataset.action = action;
  b.textContent = label;
  b.setAttribute('aria-label', ariaLabel);
  b.addEventListener('click', onClick);
  return b;
}

/** Hosts see who waits, live, with Admit and Deny for each and Admit all. */
function renderLobby(host) {
  const panel = $('lobby-panel');
  panel.hidden = !host || state.lobby.count === 0;
  if (panel.hidden) {
    return;
  }
  $('lobby-count').textContent = String(state.lobby.count);
  const list = $('lobby-list');
  list.replaceChildren();
  for (const r of state.lobby.waiting) {
    const li = document.createElement('li');
    li.dataset.requestId = r.id;
    const who = document.createElement('span');
    who.className = 'lobby-name';
    who.textContent = t(r.signedIn ? key('lobby.signedIn') : key('lobby.guest'), { name: r.displayName })
      + (r.organisation ? ` — ${r.organisation}` : '');
    const admit = actionButton(t('lobby.admit'), 'admit', t('lobby.admitName', { name: r.displayName }), () => hostPost('lobby', { admit: [r.id] }));
    const deny = actionButton(t('lobby.deny'), 'deny', t('lobby.denyName', { name: r.displayName }), () => hostPost('lobby', { deny: [r.id] }));
    deny.classList.add('danger');
    li.append(who, admit, deny);
    list.append(li);
  }
}

// ---- the owner's settings ----------------------------------------------------------------

/** Shown to the owner only: the server answers the settings to nobody else. */
async function loadSettings() {
  let r;
  try {
    r = await fetch(`/api/meetings/${encodeURIComponent(state.meetingId)}/settings`);
  } catch (e) {
    return;
  }
  if (!r.ok) {
    $('meeting-settings').hidden = true;
    return;
  }
  showSettings(await r.json());
}

function showSettings(settings) {
  $('meeting-settings').hidden = false;
  $('settings-title').value = settings.title || '';
  $('settings-access').value = settings.accessLevel;
  $('settings-captions-language').value = settings.captionsLanguage || 'en';
  $('settings-record-on-start').checked = settings.recordOnStart === true;
  const list = $('member-list');
  list.replaceChildren();
  for (const m of settings.members || []) {
    const li = document.createElement('li');
    li.dataset.username = m.username;
    const who = document.createElement('span');
    who.textContent = t(m.role === 'host' ? key('settings.memberCohost') : key('settings.memberInvited'), { username: m.username });
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'button small';
    remove.textContent = t('settings.remove');
    remove.setAttribute('aria-label', t('settings.removeName', { username: m.username }));
    remove.addEventListener('click', () => saveSettings('members', { username: m.username, role: 'none' }));
    li.append(who, remove);
    list.append(li);
  }
}

async function saveSettings(path, body) {
  try {
    const r = await postJson(`/api/meetings/${encodeURIComponent(state.meetingId)}/${path}`, body);
    const b = await r.json().catch(() => ({}));
    $('settings-status').textContent = r.ok ? t('settings.saved') : (b.error || t('common.refused', { status: String(r.status) }));
    if (r.ok) {
      showSettings(b);
    }
  } catch (e) {
    $('settings-status').textContent = t('common.unreachableDetail', { detail: e.message });
  }
}

/** A host control: POST /api/meetings/<id>/<path>; a refusal is shown, never thrown. */
async function hostPost(path, body) {
  try {
    const r = await postJson(`/api/meetings/${encodeURIComponent(state.meetingId)}/${path}`, body);
    if (!r.ok) {
      const b = await r.json().catch(() => ({}));
      message(b.error || t('common.refused', { status: String(r.status) }));
    }
    return r.ok;
  } catch (e) {
    message(key('common.unreachableDetail'), { detail: e.message });
    return false;
  }
}

/** The host ends the meeting for everyone; every page then gets meeting-ended from the server. */
async function endForAll() {
  try {
    const r = await postJson(`/api/meetings/${encodeURIComponent(state.meetingId)}/end`, {});
    if (!r.ok) {
      const body = await r.json().catch(() => ({}));
      message(body.error || t('common.refused', { status: String(r.status) }));
    }
  } catch (e) {
    message(key('common.unreachableDetail'), { detail: e.message });
  }
}

async function toggleHostSwitch(path, enabled, extra = {}) {
  try {
    const r = await postJson(`/api/meetings/${encodeURIComponent(state.meetingId)}/${path}`, { enabled, ...extra });
    if (!r.ok) {
      const body = await r.json().catch(() => ({}));
      message(body.error || t('common.refused', { status: String(r.status) }));
    }
  } catch (e) {
    message(key('common.unreachableDetail'), { detail: e.message });
  }
}

function startCaptionOverlay() {
  if (captions) {
    return;
  }
  const el = $('captions');
  el.hidden = false;
  applyCaptionScale(storedCaptionScale());
  captions = startCaptions(state.meetingId, el);
}

function stopCaptionOverlay() {
  if (captions) {
    captions.stop();
  }
  captions = null;
  $('captions').hidden = true;
}

// ---- boot -------------------------------------------------------------------------------

async function boot() {
  initPage();
  labelControls();
  onLanguageChange(() => {
    renderMessage();
    renderTitle();
    renderWaiting();
    render();
  });
  $('prejoin-form').addEventListener('submit', onJoin);
  $('prejoin-mic').addEventListener('change', () => { preview = startPreview(); });
  $('prejoin-camera').addEventListener('change', () => { preview = startPreview(); });
  $('mute').addEventListener('click', toggleMute);
  $('camera').addEventListener('click', toggleCamera);
  $('share-screen').addEventListener('click', () => toggleScreen());
  $('raise-hand').addEventListener('click', () => send({ type: 'hand', raised: !state.hands.includes(state.participantId) }));
  $('chat-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = $('chat-text').value.trim();
    if (text) {
      send({ type: 'chat', text });
      $('chat-text').value = '';
    }
  });
  $('leave').addEventListener('click', leave);
  $('record').addEventListener('click', () => toggleHostSwitch('recording', !state.recording));
  $('caption-size').addEventListener('click', nextCaptionSize);
  followControlsHeight();
  $('cc').addEventListener('click', () => toggleHostSwitch('captions', !state.captionsEnabled));
  $('end-meeting').addEventListener('click', endForAll);
  window.addEventListener('resize', () => render()); // the grid follows the window
  $('layout').addEventListener('click', () => {
    roomLayout.layout = roomLayout.layout === 'speaker' ? 'grid' : 'speaker';
    roomLayout.page = 0;
    render();
  });
  $('page-prev').addEventListener('click', () => {
    roomLayout.page -= 1;
    render();
  });
  $('page-next').addEventListener('click', () => {
    roomLayout.page += 1;
    render();
  });
  $('lock').addEventListener('click', () => hostPost('lock', { locked: !state.locked }));
  $('settings-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    saveSettings('settings', {
      title: $('settings-title').value.trim(),
      accessLevel: $('settings-access').value,
      captionsLanguage: $('settings-captions-language').value,
      recordOnStart: $('settings-record-on-start').checked,
    });
  });
  $('member-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const username = $('member-username').value.trim().toLowerCase();
    if (username) {
      saveSettings('members', { username, role: $('member-role').value });
      $('member-username').value = '';
    }
  });
  $('lobby-admit-all').addEventListener('click', () => hostPost('lobby', { admit: 'all' }));
  $('waiting-cancel').addEventListener('click', () => {
    joinAttempt += 1;
    stopWaiting();
    $('join').disabled = false;
    setState({ ...state, phase: 'prejoin' });
  });
  if (state.meetingId) {
    $('archive-link').href = `/m/${state.meetingId}/archive`;
  }
  $('rejoin').addEventListener('click', () => {
    preview = startPreview();
    join($('display-name').value.trim());
  });
  try {
    $('display-name').value = localStorage.getItem('steno.displayName') || '';
  } catch (e) {
    // no storage
  }
  const who = await whoAmI();
  if (who.signedIn) {
    // Signed in, you appear under your account's name (the server uses it whatever is typed).
    $('display-name').value = who.displayName;
    $('display-name').readOnly = true;
  }
  if (await loadMeeting()) {
    setState({ ...state, phase: 'prejoin' });
    preview = startPreview();
  } else {
    setState({ ...state, phase: 'error' });
    show('prejoin', false);
  }
}

boot();
