// The page's receive slots (receive-slots.js): the SFU's renegotiate is an absolute target,
// the page adds only what is missing, and one offer/answer runs at a time, with a fake
// RTCPeerConnection.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  ReceiveSlots, receiveCounts, missingReceivers, sfuCodecs, receiveHeaderExtensions, videoSlotsFor, MAX_VIDEO, withScreenContent,
} from '../../main/resources/web/receive-slots.js';

const MID = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const LEVEL = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
const VIDEO_EXTS = [
  { uri: 'urn:ietf:params:rtp-hdrext:toffset', direction: 'sendrecv' },
  { uri: MID, direction: 'sendrecv' },
  { uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', direction: 'sendrecv' },
  { uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time', direction: 'stopped' },
];

/** Enough of RTCPeerConnection: transceivers, offers (one per createOffer), states. */
class FakePeerConnection {
  constructor() {
    this.transceivers = [];
    this.signalingState = 'stable';
    this.localDescription = null;
    this.remoteDescriptions = [];
  }

  getTransceivers() {
    return this.transceivers;
  }

  addTransceiver(trackOrKind, init) {
    const kind = typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind;
    if (this.signalingState === 'closed') {
      throw new Error('closed');
    }
    const t = {
      direction: init.direction,
      currentDirection: null,
      receiver: { track: { kind } },
      codecs: null,
      extensions: null,
      setCodecPreferences(c) { this.codecs = c; },
      getHeaderExtensionsToNegotiate() { return (kind === 'video' ? VIDEO_EXTS : [{ uri: LEVEL, direction: 'sendrecv' }, { uri: MID, direction: 'sendrecv' }]).map((e) => ({ ...e })); },
      setHeaderExtensionsToNegotiate(l) { this.extensions = l; },
    };
    this.transceivers.push(t);
    return t;
  }

  async createOffer() {
    const c = receiveCounts(this.transceivers);
    return { type: 'offer', sdp: `v=0 audio=${c.audio} video=${c.video} m=${this.transceivers.length}` };
  }

  async setLocalDescription(d) {
    if (d.type === 'rollback') {
      this.signalingState = 'stable';
      return;
    }
    this.localDescription = d;
    this.signalingState = 'have-local-offer';
  }

  async setRemoteDescription(d) {
    this.remoteDescriptions.push(d);
    this.signalingState = 'stable';
  }
}

/** A page's peer connection with its own microphone and camera (sendonly) and the sent messages. */
function page(options = {}) {
  const pc = new FakePeerConnection();
  pc.addTransceiver({ kind: 'audio' }, { direction: 'sendonly' });
  pc.addTransceiver({ kind: 'video' }, { direction: 'sendonly' });
  const sent = [];
  const errors = [];
  const slots = new ReceiveSlots(pc, { send: (m) => sent.push(m), onError: (e) => errors.push(e), ...options });
  return { pc, sent, errors, slots };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const offers = (sent) => sent.filter((m) => m.type === 'offer');

test('renegotiate is an absolute target: the page adds exactly what is missing, and nothing when told again', async () => {
  const { pc, sent, slots } = page();
  slots.reach({ audio: 1, video: 1 });
  slots.negotiate();
  await tick();
  slots.onAnswer('v=0 answer 1');
  await tick();
  assert.deepEqual(receiveCounts(pc.getTransceivers()), { audio: 1, video: 1 }, 'sendonly transceivers are not receive slots');

  slots.onRenegotiate({ type: 'renegotiate', audio: 3, video: 9 });
  await tick();
  assert.deepEqual(receiveCounts(pc.getTransceivers()), { audio: 3, video: 9 });
  assert.equal(offers(sent).length, 2);
  assert.equal(offers(sent)[1].sdp, 'v=0 audio=3 video=9 m=14');
  assert.equal(offers(sent)[1].maxVideo, MAX_VIDEO, 'every offer says how many videos the page shows');
  slots.onAnswer('v=0 answer 2');
  await tick();

  // The same target again, or a smaller one (someone left): no transceiver, no offer.
  slots.onRenegotiate({ type: 'renegotiate', audio: 3, video: 9 });
  slots.onRenegotiate({ type: 'renegotiate', audio: 2, video: 4 });
  await tick();
  assert.equal(pc.getTransceivers().length, 14);
  assert.equal(offers(sent).length, 2);
  assert.equal(pc.remoteDescriptions.length, 2);
});

test('renegotiate while an offer is out adds no transceiver twice and makes one more offer, not one per message', async () => {
  const { pc, sent, slots } = page();
  slots.reach({ audio: 1, video: 1 });
  slots.negotiate();
  await tick();
  assert.equal(offers(sent).length, 1, 'the first offer is out; its answer has not come');

  // The server's targets arrive while the page waits (and repeats, as an old server did).
  slots.onRenegotiate({ audio: 2, video: 2 });
  slots.onRenegotiate({ audio: 2, video: 2 });
  slots.onRenegotiate({ audio: 3, video: 4 });
  slots.onRenegotiate({ audio: 3, video: 4 });
  assert.deepEqual(receiveCounts(pc.getTransceivers()), { audio: 3, video: 4 });
  await tick();
  assert.equal(offers(sent).length, 1, 'never two offers out at once');

  slots.onAnswer('v=0 answer 1');
  await tick();
  await tick();
  assert.equal(offers(sent).length, 2, 'one more offer for everything added meanwhile');
  assert.equal(offers(sent)[1].sdp, 'v=0 audio=3 video=4 m=9');
  slots.onAnswer('v=0 answer 2');
  await slots.running;
  assert.equal(pc.signalingState, 'stable');
  assert.equal(offers(sent).length, 2);
});

test('an error instead of an answer rolls the offer back and the page can offer again', async () => {
  const { pc, sent, errors, slots } = page();
  slots.reach({ audio: 1, video: 1 });
  const done = slots.negotiate();
  await tick();
  slots.fail(new Error('the offer could not be parsed'));
  await done;
  assert.equal(errors.length, 1);
  assert.equal(pc.signalingState, 'stable');
  slots.negotiate();
  await tick();
  assert.equal(offers(sent).length, 2);
});

test('receive transceivers offer only the SFU codecs and the header extensions it writes', () => {
  const caps = {
    video: { codecs: [{ mimeType: 'video/VP8' }, { mimeType: 'video/rtx' }, { mimeType: 'video/VP9' }, { mimeType: 'video/H264' }] },
    audio: { codecs: [{ mimeType: 'audio/opus' }, { mimeType: 'audio/red' }, { mimeType: 'audio/G722' }] },
  };
  assert.deepEqual(sfuCodecs('video', caps.video), [{ mimeType: 'video/VP8' }]);
  assert.deepEqual(sfuCodecs('audio', caps.audio), [{ mimeType: 'audio/opus' }]);
  assert.equal(sfuCodecs('video', null), null);
  assert.equal(sfuCodecs('video', { codecs: [{ mimeType: 'video/AV1' }] }), null, 'nothing usable: keep the defaults');

  const ext = receiveHeaderExtensions('video', VIDEO_EXTS);
  assert.deepEqual(ext.filter((e) => e.direction !== 'stopped').map((e) => e.uri), [MID]);
  assert.equal(ext.length, VIDEO_EXTS.length, 'the same list, some stopped');

  const { pc, slots } = page({ capabilities: (kind) => caps[kind] });
  slots.reach({ audio: 1, video: 1 });
  const [audio, video] = pc.getTransceivers().slice(2);
  assert.deepEqual(audio.codecs, [{ mimeType: 'audio/opus' }]);
  assert.deepEqual(audio.extensions.filter((e) => e.direction !== 'stopped').map((e) => e.uri), [LEVEL, MID]);
  assert.deepEqual(video.codecs, [{ mimeType: 'video/VP8' }]);
});

test('the page asks for as many videos as its window shows, 1 to 9', () => {
  assert.equal(videoSlotsFor(800, 600), 9);
  assert.equal(videoSlotsFor(1920, 1080), 9);
  assert.equal(videoSlotsFor(390, 844), 4);
  assert.equal(videoSlotsFor(100, 100), 1);
  assert.equal(videoSlotsFor(undefined, undefined), 1);
  assert.deepEqual(missingReceivers({ audio: 3, video: 9 }, { audio: 1, video: 12 }), { audio: 2, video: 0 });
  assert.deepEqual(missingReceivers({ audio: 'x' }, { audio: 0, video: 0 }), { audio: 0, video: 0 });
});

test('the offer sent to the SFU marks the screen m-line a=content:slides and nothing else', () => {
  const sdp = ['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1',
    'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:12', ''].join('\r\n');
  assert.equal(withScreenContent(sdp, []), sdp);
  const marked = withScreenContent(sdp, ['12']);
  assert.equal(marked.split('\r\n').filter((l) => l === 'a=content:slides').length, 1);
  assert.match(marked, /a=mid:12\r\na=content:slides/);
  assert.doesNotMatch(marked, /a=mid:1\r\na=content/);
});
