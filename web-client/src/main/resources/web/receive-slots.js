// Receive slots: the fixed set of recvonly transceivers the SFU sends the others on, and the
// one-offer-at-a-time negotiation with it. The SFU's `renegotiate{audio,video}` is an
// absolute target ("have this many"), so the page adds only what is missing, however often
// it is told, and offers again only when it added something. No DOM: room.js passes the
// RTCPeerConnection in, node:test passes a fake.

/** The SFU's last-N default: the page never asks for more video than this. */
export const MAX_VIDEO = 9;
/** The SFU's top-N default: it sends the 3 loudest speakers. */
export const MAX_AUDIO = 3;

const MID = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const AUDIO_LEVEL = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

/**
 * How many video tiles fit a window of this size (room.css: tiles at least 14rem wide, 16:9,
 * plus a name line), 1 to MAX_VIDEO: the page asks the SFU for no more video than it shows.
 */
export function videoSlotsFor(width, height) {
  const cols = Math.floor((Number(width) || 0) / 240);
  const rows = Math.floor((Number(height) || 0) / 170);
  return Math.max(1, Math.min(MAX_VIDEO, cols * rows));
}

/** Receive transceivers of each kind: recvonly or sendrecv, not stopped. */
export function receiveCounts(transceivers) {
  const n = { audio: 0, video: 0 };
  for (const t of transceivers) {
    if (t.stopped || t.currentDirection === 'stopped' || !(t.direction === 'recvonly' || t.direction === 'sendrecv')) {
      continue;
    }
    const kind = t.receiver && t.receiver.track && t.receiver.track.kind;
    if (kind === 'audio' || kind === 'video') {
      n[kind] += 1;
    }
  }
  return n;
}

/** The recvonly transceivers to add to reach an absolute target (never negative). */
export function missingReceivers(target, have) {
  const want = (k) => Math.max(0, Math.floor(Number(target && target[k]) || 0));
  return {
    audio: Math.max(0, want('audio') - have.audio),
    video: Math.max(0, want('video') - have.video),
  };
}

/**
 * The codecs to offer on our transceivers: only what the SFU forwards (Opus; VP8). With every
 * codec Chromium knows, a recvonly video m-line is ~5 KB of SDP; with VP8 alone ~0.5 KB.
 * Null when the browser cannot say (then its defaults stay).
 */
export function sfuCodecs(kind, capabilities) {
  if (!capabilities || !Array.isArray(capabilities.codecs)) {
    return null;
  }
  const want = kind === 'audio' ? /^audio\/opus$/i : /^video\/vp8$/i;
  const list = capabilities.codecs.filter((c) => want.test(c.mimeType || ''));
  return list.length > 0 ? list : null;
}

/**
 * Header extensions for a receive transceiver: the SFU writes the mid (Chromium routes its
 * rewritten streams by it) and, on audio, the level; the rest is stopped, which takes ten
 * extmap lines out of every video m-line.
 */
export function receiveHeaderExtensions(kind, extensions) {
  const keep = kind === 'audio' ? [MID, AUDIO_LEVEL] : [MID];
  return extensions.map((e) => (keep.includes(e.uri) || e.direction === 'stopped' ? e : { ...e, direction: 'stopped' }));
}

/**
 * Keeps a peer connection's receive transceivers at the SFU's target and runs one offer/answer
 * at a time. `send` sends a signaling message; `capabilities(kind)` is
 * RTCRtpReceiver.getCapabilities in a browser.
 */
export class ReceiveSlots {
  constructor(pc, { send, maxVideo = MAX_VIDEO, capabilities = () => null, onError = () => {} }) {
    this.pc = pc;
    this.send = send;
    this.maxVideo = maxVideo;
    this.capabilities = capabilities;
    this.onError = onError;
    this.pending = null; // the answer awaited: { resolve, reject }
    this.running = null; // the negotiation in progress
    this.again = false; // something changed while it ran: offer once more after it
    this.closed = false;
    this.offers = 0;
    this.lastOfferBytes = 0;
    this.screens = new Set(); // transceivers sending a shared screen: their m-line says a=content:slides
  }

  /** This transceiver sends a shared screen (the SFU then shows it before cameras, to everyone). */
  markScreen(transceiver) {
    this.screens.add(transceiver);
  }

  /** Offers only the SFU's codecs on a transceiver of ours (sending or receiving). */
  preferSfuCodecs(transceiver, kind) {
    const codecs = sfuCodecs(kind, this.capabilities(kind));
    if (codecs && typeof transceiver.setCodecPreferences === 'function') {
      try {
        transceiver.setCodecPreferences(codecs);
      } catch (e) {
        // an old browser refusing the list keeps its defaults: a larger offer, still valid
      }
    }
  }

  addReceiver(kind) {
    const t = this.pc.addTransceiver(kind, { direction: 'recvonly' });
    this.preferSfuCodecs(t, kind);
    if (typeof t.getHeaderExtensionsToNegotiate === 'function') {
      try {
        t.setHeaderExtensionsToNegotiate(receiveHeaderExtensions(kind, t.getHeaderExtensionsToNegotiate()));
      } catch (e) {
        // not supported as asked: the defaults only make the offer longer
      }
    }
    return t;
  }

  /** Adds recvonly transceivers up to an absolute target; returns how many it added. */
  reach(target) {
    const missing = missingReceivers(target, receiveCounts(this.pc.getTransceivers()));
    for (let i = 0; i < missing.audio; i++) {
      this.addReceiver('audio');
    }
    for (let i = 0; i < missing.video; i++) {
      this.addReceiver('video');
    }
    return missing.audio + missing.video;
  }

  /**
   * The SFU's `renegotiate`: reach its target and offer again if something was added. Told
   * the same target twice (or while an offer is out), it adds nothing the second time.
   */
  onRenegotiate(msg) {
    if (this.reach({ audio: msg.audio, video: msg.video }) > 0) {
      this.negotiate();
    }
  }

  onAnswer(sdp) {
    if (this.pending) {
      this.pending.resolve(sdp);
      this.pending = null;
    }
  }

  /** A signaling error while an offer is out: no answer will come for it. */
  fail(error) {
    if (this.pending) {
      this.pending.reject(error);
      this.pending = null;
    }
  }

  /** One offer/answer at a time; asked during one, it runs once more after it (not once per ask). */
  negotiate() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.offerOnce();
      } while (this.again && !this.closed);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async offerOnce() {
    const pc = this.pc;
    if (this.closed || !pc || pc.signalingState === 'closed') {
      return;
    }
    try {
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      const answer = new Promise((resolve, reject) => {
        this.pending = { resolve, reject };
      });
      const screenMids = [...this.screens].map((t) => t.mid).filter((m) => m != null);
      const sdp = withScreenContent(pc.localDescription.sdp, screenMids);
      this.offers += 1;
      this.lastOfferBytes = sdp.length;
      this.send({ type: 'offer', sdp, maxVideo: this.maxVideo });
      await pc.setRemoteDescription({ type: 'answer', sdp: await answer });
    } catch (e) {
      this.pending = null;
      if (!this.closed) {
        this.onError(e);
      }
      if (pc.signalingState === 'have-local-offer') {
        await pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
      }
    }
  }

  close() {
    this.closed = true;
    this.fail(new Error('closed'));
  }
}

/**
 * The offer as the SFU reads it: RFC 4796's a=content:slides on the m-lines that send a shared screen
 * (Chromium does not write it; only the copy sent to the SFU carries it, the local description is untouched).
 */
export function withScreenContent(sdp, mids) {
  if (!mids.length) {
    return sdp;
  }
  const wanted = new Set(mids.map(String));
  return sdp.split('\r\n').flatMap((line) => {
    const m = /^a=mid:(.+)$/.exec(line);
    return m && wanted.has(m[1]) ? [line, 'a=content:slides'] : [line];
  }).join('\r\n');
}
