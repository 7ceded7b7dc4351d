// Tests for the room page's pure logic (room-state.js) and the home page's meeting
// creation (meetings.js), with node's built-in runner.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  initialState, applyMessage, tiles, participantForMid, meetingIdFromPath, displayNameError, initials, togglePin, screenShares, chatPieces,
} from '../../main/resources/web/room-state.js';
import { createMeeting, MeetingCreateError, showMyMeetings } from '../../main/resources/web/meetings.js';

const JOINED = {
  type: 'joined', meetingId: 'abc-defg-hij', title: 'Council', participantId: 'p2', displayName: 'Bob', role: 'participant',
  participants: [
    { id: 'p1', displayName: 'Alice', role: 'host', kind: 'browser' },
    { id: 'p2', displayName: 'Bob', role: 'participant', kind: 'browser' },
  ],
  tracks: [{ id: 't1', participantId: 'p1', kind: 'audio', source: 'microphone', muted: false }],
  dominantSpeaker: null, recording: true, captionsEnabled: false,
};

test('joined builds the room with self first', () => {
  const s = applyMessage(initialState('abc-defg-hij'), JOINED);
  assert.equal(s.phase, 'joined');
  assert.equal(s.participantId, 'p2');
  const t = tiles(s);
  assert.deepEqual(t.map((x) => x.name), ['Bob', 'Alice']);
  assert.equal(t[0].self, true);
  assert.equal(t[1].audioMuted, false);
  assert.equal(t[1].host, true);
  assert.equal(t[0].audioMuted, true, 'no published microphone counts as muted');
  assert.equal(s.recording, true);
});

test('presence, tracks, mute, dominant speaker, slots and leave', () => {
  let s = applyMessage(initialState('abc-defg-hij'), JOINED);
  s = applyMessage(s, { type: 'participant-joined', participant: { id: 'p3', displayName: 'Carol', role: 'participant' } });
  s = applyMessage(s, { type: 'track-published', track: { id: 't2', participantId: 'p3', kind: 'video', source: 'camera', muted: false } });
  s = applyMessage(s, { type: 'track-muted', track: { id: 't1', participantId: 'p1', kind: 'audio', source: 'microphone', muted: true } });
  s = applyMessage(s, { type: 'dominant-speaker', participantId: 'p3' });
  s = applyMessage(s, { type: 'slots', slots: [{ mid: '3', kind: 'video', trackId: 't2', participantId: 'p3' }] });
  let t = tiles(s);
  assert.equal(t.length, 3);
  assert.equal(t.find((x) => x.id === 'p1').audioMuted, true);
  assert.equal(t.find((x) => x.id === 'p3').speaking, true);
  assert.equal(t.find((x) => x.id === 'p3').videoOff, false);
  assert.equal(participantForMid(s, '3'), 'p3');
  assert.equal(participantForMid(s, '9'), null);
  s = applyMessage(s, { type: 'participant-left', participantId: 'p3', reason: 'left' });
  t = tiles(s);
  assert.deepEqual(t.map((x) => x.id), ['p2', 'p1']);
  assert.equal(s.tracks.t2, undefined);
  assert.equal(s.dominantSpeaker, null);
});

test('a large meeting: the roster arrives in chunks after joined, and only slotted participants get video tiles', () => {
  const people = Array.from({ length: 30 }, (_, i) => ({ id: `p${i + 1}`, displayName: `Person ${i + 1}`, role: 'participant', kind: 'browser' }));
  const tracksOf = (p) => [
    { id: `a${p.id}`, participantId: p.id, kind: 'audio', source: 'microphone', muted: false },
    { id: `v${p.id}`, participantId: p.id, kind: 'video', source: 'camera', muted: false }];
  let s = applyMessage(initialState('abc-defg-hij'), {
    ...JOINED, participantId: 'p30', displayName: 'Person 30', participantCount: 30,
    participants: people.slice(0, 10), tracks: people.slice(0, 10).flatMap(tracksOf),
  });
  assert.equal(s.participantCount, 30, 'known before the rest of the roster arrives');
  assert.equal(Object.keys(s.participants).length, 10);
  s = applyMessage(s, { type: 'roster', participants: people.slice(10, 20), tracks: people.slice(10, 20).flatMap(tracksOf), last: false });
  s = applyMessage(s, { type: 'roster', participants: people.slice(20), tracks: people.slice(20).flatMap(tracksOf), last: true });
  assert.equal(Object.keys(s.participants).length, 30);
  assert.equal(Object.keys(s.tracks).length, 60);

  // The SFU shows 2 of the 29 others on video slots (mids 4 and 5); mid 6 is free.
  s = applyMessage(s, { type: 'slots', slots: [
    { mid: '2', kind: 'audio', trackId: 'ap7', participantId: 'p7' },
    { mid: '4', kind: 'video', trackId: 'vp12', participantId: 'p12' },
    { mid: '5', kind: 'video', trackId: 'vp3', participantId: 'p3' },
    { mid: '6', kind: 'video', trackId: null, participantId: null }] });
  const t = tiles(s);
  assert.equal(t.length, 30, 'a tile for everyone, with or without a video slot');
  assert.deepEqual(t.slice(0, 3).map((x) => [x.id, x.videoMid]), [['p30', null], ['p3', '5'], ['p12', '4']],
    'self first, then the participants on video slots');
  const avatars = t.filter((x) => !x.self && !x.videoMid);
  assert.equal(avatars.length, 27);
  assert.equal(avatars[0].id, 'p1', 'the rest in join order');
  assert.equal(avatars.find((x) => x.id === 'p7').videoMid, null, 'an audio slot is not a video tile');
  assert.equal(avatars[0].initials, 'P1');
  assert.equal(avatars[0].videoOff, false, 'camera on, but no slot: the page shows the avatar');

  // The slot switches to someone else: p12 becomes an avatar.
  s = applyMessage(s, { type: 'slots', slots: [{ mid: '4', kind: 'video', trackId: 'vp20', participantId: 'p20' },
    { mid: '5', kind: 'video', trackId: 'vp3', participantId: 'p3' }] });
  assert.equal(tiles(s).find((x) => x.id === 'p12').videoMid, null);
  assert.equal(tiles(s).find((x) => x.id === 'p20').videoMid, '4');
});

test('pins: toggled, bounded, forgotten when the participant leaves; initials', () => {
  let s = applyMessage(initialState('abc-defg-hij'), JOINED);
  s = togglePin(s, 'p1', 2);
  assert.deepEqual(s.pinned, ['p1']);
  assert.equal(tiles(s).find((x) => x.id === 'p1').pinned, true);
  s = togglePin(togglePin(s, 'p3', 2), 'p4', 2);
  assert.deepEqual(s.pinned, ['p3', 'p4'], 'at most as many pins as video tiles, the newest kept');
  s = togglePin(s, 'p3', 2);
  assert.deepEqual(s.pinned, ['p4']);
  s = applyMessage(s, { type: 'participant-left', participantId: 'p4', reason: 'left' });
  assert.deepEqual(s.pinned, []);
  assert.equal(initials('Ada  Lovelace'), 'AL');
  assert.equal(initials('bob'), 'B');
  assert.equal(initials('  '), '?');
  assert.equal(initials('émile zola'), 'ÉZ');
});

test('unknown or malformed messages leave the state alone; fatal errors end the session', () => {
  const s = applyMessage(initialState('abc-defg-hij'), JOINED);
  assert.equal(applyMessage(s, { type: 'no-such' }), s);
  assert.equal(applyMessage(s, null), s);
  assert.equal(applyMessage(s, { type: 42 }), s);
  const e = applyMessage(s, { type: 'error', code: 'bad-sdp', message: 'x' });
  assert.equal(e.phase, 'joined');
  assert.equal(applyMessage(s, { type: 'error', code: 'bad-token', message: 'x' }).phase, 'error');
  assert.equal(applyMessage(s, { type: 'meeting-ended', reason: 'ended-by-host' }).phase, 'ended');
});

test('meeting id from the path and display-name validation', () => {
  assert.equal(meetingIdFromPath('/m/abc-defg-hij'), 'abc-defg-hij');
  assert.equal(meetingIdFromPath('/m/abc-defg-hij/'), 'abc-defg-hij');
  assert.equal(meetingIdFromPath('/m/ABC-defg-hij'), null);
  assert.equal(meetingIdFromPath('/m/../x'), null);
  assert.equal(meetingIdFromPath(''), null);
  assert.equal(displayNameError('  '), 'Enter your name.');
  assert.match(displayNameError('x'.repeat(101)), /100/);
  assert.equal(displayNameError(' Alice '), null);
});

function fakeFetch(status, body, throws = false) {
  return async (url, init) => {
    if (throws) {
      throw new TypeError('network down');
    }
    assert.equal(url, '/api/meetings');
    assert.equal(init.method, 'POST');
    return { ok: status >= 200 && status < 300, status, json: async () => body };
  };
}

test('createMeeting returns the id and link, and explains failures', async () => {
  const m = await createMeeting(fakeFetch(201, { id: 'abc-defg-hij', joinUrl: 'http://h/m/abc-defg-hij' }));
  assert.deepEqual(m, { id: 'abc-defg-hij', joinUrl: 'http://h/m/abc-defg-hij', accessLevel: 'trusted' });
  await assert.rejects(createMeeting(fakeFetch(503, { error: 'this node already runs 1000 meetings' })),
    (e) => e instanceof MeetingCreateError && /1000 meetings/.test(e.message));
  await assert.rejects(createMeeting(fakeFetch(0, null, true)), /cannot be reached/);
  await assert.rejects(createMeeting(fakeFetch(200, { nope: 1 })), /unexpected/);
});

test('the lobby, the lock and a promotion come from the server', () => {
  let s = applyMessage(initialState('abc-defg-hij'), { ...JOINED, locked: true });
  assert.equal(s.locked, true);
  assert.deepEqual(s.lobby, { count: 0, waiting: [] });
  s = applyMessage(s, { type: 'lobby', count: 2, waiting: [{ id: 'r1', displayName: 'Gaston', signedIn: false }] });
  assert.equal(s.lobby.count, 2);
  assert.equal(s.lobby.waiting[0].displayName, 'Gaston');
  s = applyMessage(s, { type: 'lobby', count: 0, waiting: 'nonsense' });
  assert.deepEqual(s.lobby, { count: 0, waiting: [] });
  s = applyMessage(s, { type: 'meeting-locked', locked: false });
  assert.equal(s.locked, false);
  assert.equal(tiles(s)[0].host, false);
  s = applyMessage(s, { type: 'participant-updated', participant: { id: 'p2', displayName: 'Bob', role: 'host', kind: 'browser' } });
  assert.equal(s.role, 'host');
  assert.equal(tiles(s)[0].host, true, 'promoted: this page shows the host controls');
  const unknown = applyMessage(s, { type: 'participant-updated', participant: { id: 'p9', role: 'host' } });
  assert.equal(unknown, s, 'someone not in the roster changes nothing');
  assert.equal(applyMessage(s, { type: 'removed' }).phase, 'removed');
});

test('createMeeting sends the access level', async () => {
  let sent = null;
  const fetchFn = async (url, init) => {
    sent = JSON.parse(init.body);
    return { ok: true, status: 201, json: async () => ({ id: 'abc-defg-hij', joinUrl: 'http://h/m/abc-defg-hij', accessLevel: 'public' }) };
  };
  const m = await createMeeting(fetchFn, 'Open day', 'public');
  assert.equal(sent.accessLevel, 'public');
  assert.equal(m.accessLevel, 'public');
});

test('a shared screen is shown on its own stage, not as the participant camera', () => {
  let s = applyMessage(initialState('abc-defg-hij'), JOINED);
  s = applyMessage(s, { type: 'track-published', track: { id: 't7', participantId: 'p1', kind: 'video', source: 'screen', muted: false } });
  s = applyMessage(s, { type: 'track-published', track: { id: 't8', participantId: 'p1', kind: 'video', source: 'camera', muted: false } });
  s = applyMessage(s, { type: 'slots', slots: [
    { mid: '3', kind: 'video', trackId: 't7', participantId: 'p1' },
    { mid: '4', kind: 'video', trackId: 't8', participantId: 'p1' },
  ] });
  assert.deepEqual(screenShares(s), [{ mid: '3', participantId: 'p1', name: 'Alice' }]);
  const alice = tiles(s).find((t) => t.id === 'p1');
  assert.equal(alice.videoMid, '4', 'her tile shows her camera, not her screen');
  assert.equal(alice.videoOff, false);
});

test('chat messages and raised hands come from the server; links are http(s) only', () => {
  let s = applyMessage(initialState('abc-defg-hij'), { ...JOINED, handsRaised: ['p1'] });
  assert.equal(tiles(s).find((t) => t.id === 'p1').handRaised, true);
  s = applyMessage(s, { type: 'hand', participantId: 'p1', raised: false });
  assert.equal(tiles(s).find((t) => t.id === 'p1').handRaised, false);
  s = applyMessage(s, { type: 'chat', seq: 1, participantId: 'p1', displayName: 'Alice', text: 'hi', at: 'x' });
  const again = applyMessage(s, { type: 'chat', seq: 1, participantId: 'p1', displayName: 'Alice', text: 'hi', at: 'x', history: true });
  assert.equal(again.chat.length, 1, 'the history after a reconnection is not shown twice');
  assert.deepEqual(chatPieces('see https://a.example/x?y=1 and javascript:alert(1)'), [
    { text: 'see ' }, { text: 'https://a.example/x?y=1', href: 'https://a.example/x?y=1' }, { text: ' and javascript:alert(1)' },
  ]);
  assert.deepEqual(chatPieces('<b>bold</b>'), [{ text: '<b>bold</b>' }]);
});

/** Just enough of a DOM for a list of links. */
function fakeList() {
  const make = (tag) => ({
    tag, children: [], dataset: {}, textContent: '', href: '', className: '',
    append(...els) { this.children.push(...els); },
    replaceChildren() { this.children = []; },
  });
  const list = make('ul');
  list.ownerDocument = { createElement: make };
  return list;
}

test('My meetings lists each meeting with its room and archive, and hides itself when empty or refused', async () => {
  const section = { hidden: true };
  const list = fakeList();
  const body = { meetings: [
    { id: 'abc-defg-hij', title: 'Weekly', relation: 'owner', live: true, room: '/m/abc-defg-hij', archive: '/m/abc-defg-hij/archive' },
    { id: 'xyz-wxyz-xyz', title: '', relation: 'host', live: false, room: '/m/xyz-wxyz-xyz', archive: '/m/xyz-wxyz-xyz/archive' },
  ] };
  const n = await showMyMeetings(section, list, async () => ({ ok: true, json: async () => body }));
  assert.equal(n, 2);
  assert.equal(section.hidden, false);
  const [first, second] = list.children;
  assert.equal(first.children[0].href, '/m/abc-defg-hij');
  assert.match(first.children[1].textContent, /yours, live now/);
  assert.equal(second.children[0].textContent, 'Meeting xyz-wxyz-xyz');
  assert.equal(second.children[2].href, '/m/xyz-wxyz-xyz/archive');
  assert.equal(await showMyMeetings(section, list, async () => ({ ok: false, status: 401 })), 0);
  assert.equal(section.hidden, true);
});
