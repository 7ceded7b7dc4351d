// The message catalogues and the i18n helpers: every key a page uses exists in English and in
// French, both catalogues have the same keys and the same {parameters}, and the lookup,
// plurals and formatters behave for both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import {
  CATALOGUES, chooseLanguage, t, setLanguage, has, serverText, formatDate, formatDateTime, formatDurationWords,
  formatRelative, formatNumber, formatMonth, roleName, ATTRIBUTES,
} from '../../main/resources/web/i18n.js';

const WEB = fileURLToPath(new URL('../../main/resources/web/', import.meta.url));
const { en, fr } = CATALOGUES;

/** Every key the pages use: t('…') and key('…') in the .js files, data-i18n(-<attribute>)="…" in .js and .html. */
function usedKeys() {
  const used = new Map(); // key → file
  const files = readdirSync(WEB).filter((f) => f.endsWith('.js') || f.endsWith('.html'));
  for (const f of files) {
    const text = readFileSync(join(WEB, f), 'utf8');
    const patterns = [/\b(?:t|tr|key)\(\s*'([^']+)'/g, /\bdata-i18n(?:-[a-z-]+)?="([^"]+)"/g,
      /\bdataset\.i18n(?:AriaLabel)?\s*=\s*'([^']+)'/g];
    for (const re of patterns) {
      for (const m of text.matchAll(re)) {
        used.set(m[1], f);
      }
    }
  }
  return used;
}

function params(message) {
  const texts = typeof message === 'object' ? Object.values(message) : [message];
  return [...new Set(texts.flatMap((x) => [...x.matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort();
}

test('every key the pages use is in both catalogues', () => {
  const used = usedKeys();
  assert.ok(used.size > 150, `found only ${used.size} keys: the scan is broken`);
  const missing = [...used].filter(([k]) => !(k in en) || !(k in fr)).map(([k, f]) => `${k} (${f}): en ${k in en}, fr ${k in fr}`);
  assert.deepEqual(missing, []);
});

test('the scan finds the keys of the room page, its HTML and its controls', () => {
  const used = usedKeys();
  for (const k of ['room.join', 'lobby.heading', 'controls.share', 'controls.raiseHand', 'notice.recording', 'home.start']) {
    assert.ok(used.has(k), k);
  }
});

test('both catalogues have the same keys, the same parameters and the same plural shape', () => {
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  for (const k of Object.keys(en)) {
    assert.deepEqual(params(fr[k]), params(en[k]), `parameters of ${k}`);
    assert.equal(typeof fr[k], typeof en[k], `shape of ${k}`);
    if (typeof en[k] === 'object') {
      assert.ok('one' in en[k] && 'other' in en[k] && 'one' in fr[k] && 'other' in fr[k], `plural forms of ${k}`);
    }
  }
});

// Parameters only, or an example query of the search language itself.
const SAME_IN_BOTH = ['home.signedInAs', 'archive.track', 'search.placeholder', 'search.passages'];

test('no catalogue entry is empty, and French is not English left untranslated', () => {
  const same = [];
  for (const k of Object.keys(en)) {
    const e = typeof en[k] === 'object' ? en[k].other : en[k];
    const f = typeof fr[k] === 'object' ? fr[k].other : fr[k];
    assert.ok(e.trim() && f.trim(), `empty message ${k}`);
    // A few words are the same in both languages (Source, Actions, Chat, Message, agent, admin…).
    if (e === f && e.length > 12 && !SAME_IN_BOTH.includes(k)) {
      same.push(k);
    }
  }
  assert.deepEqual(same, []);
});

test('the language is the saved choice, else the first French or English one of the browser', () => {
  assert.equal(chooseLanguage(null, ['fr-FR', 'en']), 'fr');
  assert.equal(chooseLanguage(null, ['fr-CA']), 'fr');
  assert.equal(chooseLanguage(null, ['de-DE', 'fr']), 'fr');
  assert.equal(chooseLanguage(null, ['en-US', 'fr']), 'en');
  assert.equal(chooseLanguage(null, ['de', 'es']), 'en');
  assert.equal(chooseLanguage(null, undefined), 'en');
  assert.equal(chooseLanguage('en', ['fr-FR']), 'en');
  assert.equal(chooseLanguage('fr', ['en-US']), 'fr');
  assert.equal(chooseLanguage('de', ['en-US']), 'en', 'a saved value we do not have is ignored');
});

test('lookup fills {parameters}, falls back to English then to the key', () => {
  setLanguage('fr');
  try {
    assert.equal(t('room.screenOf', { name: 'Bob' }), 'Écran de Bob');
    assert.equal(t('no.such.key'), 'no.such.key');
    assert.equal(has('no.such.key'), false);
    assert.equal(t('room.screenOf'), 'Écran de {name}', 'a missing parameter stays visible');
  } finally {
    setLanguage('en');
  }
  assert.equal(t('room.screenOf', { name: 'Bob' }), "Bob's screen");
  assert.equal(t('room.screenOf', { name: '<b>x</b>' }), "<b>x</b>'s screen", 'parameters are text: never parsed');
});

test('plurals follow each language: French says 0 and 1 in the singular', () => {
  assert.equal(t('search.passages', { count: 0 }, 'en'), '0 passages');
  assert.equal(t('search.passages', { count: 1 }, 'en'), '1 passage');
  assert.equal(t('search.passages', { count: 2 }, 'en'), '2 passages');
  assert.equal(t('search.passages', { count: 0 }, 'fr'), '0 passage');
  assert.equal(t('search.passages', { count: 1 }, 'fr'), '1 passage');
  assert.equal(t('search.passages', { count: 2 }, 'fr'), '2 passages');
  assert.equal(t('search.passages', { count: 1500 }, 'en'), '1,500 passages');
  assert.equal(t('search.passages', { count: 1500 }, 'fr'), '1\u202f500 passages');
  assert.equal(t('search.found', { passages: t('search.passages', { count: 2 }, 'en'),
    meetings: t('search.meetings', { count: 1 }, 'en') }, 'en'), '2 passages in 1 meeting.');
});

test('dates are written for the reader, not as ISO instants', () => {
  const iso = '2026-12-02T13:40:19.490177711Z';
  assert.equal(formatDateTime(iso, { lang: 'en', timeZone: 'UTC' }), '2 December 2026 at 13:40');
  assert.equal(formatDateTime(iso, { lang: 'fr', timeZone: 'Europe/Paris' }), '2 décembre 2026 à 14:40');
  assert.equal(formatDate('2027-03-01T00:00:00Z', { lang: 'fr', timeZone: 'UTC' }), '1 mars 2027');
  assert.equal(formatDate('2027-03-01T00:00:00Z', { lang: 'en', timeZone: 'UTC' }), '1 March 2027');
  assert.equal(formatDateTime('', { lang: 'en' }), '');
  assert.equal(formatDate('not a date', { lang: 'fr' }), '');
  assert.equal(formatMonth('2026-12', 'fr'), 'décembre 2026');
  assert.equal(formatMonth('2026-12', 'en'), 'December 2026');
  assert.equal(formatMonth('junk', 'en'), 'junk');
});

test('durations and relative times in words, numbers with the local separators', () => {
  assert.equal(formatDurationWords(247_000, 'en'), '4 mins 7 secs');
  // ICU's French: a narrow no-break space before h and s, a no-break space before min.
  assert.equal(formatDurationWords(3_909_000, 'fr'), '1\u202fh 5\u00a0min 9\u202fs');
  assert.equal(formatDurationWords(0, 'fr'), '0\u202fs');
  assert.equal(formatRelative(4, 'en'), 'in 4 seconds');
  assert.equal(formatRelative(4, 'fr'), 'dans 4 secondes');
  assert.equal(formatRelative(-3 * 86400, 'fr'), 'il y a 3 jours');
  assert.equal(formatRelative(120, 'en'), 'in 2 minutes');
  assert.equal(formatNumber(1.5, 'fr'), '1,5');
  assert.equal(formatNumber(1.5, 'en'), '1.5');
});

test('server sentences: ours for a known code, the server\'s for any other', () => {
  assert.equal(serverText('ws.notice', 'recording-stopped', 'disk full', { detail: 'disk full' }),
    'The recording stopped unexpectedly: disk full');
  setLanguage('fr');
  try {
    assert.equal(serverText('ws.notice', 'recording-stopped', 'disk full', { detail: 'disk full' }),
      'L’enregistrement s’est arrêté de façon inattendue\u00a0: disk full');
    assert.equal(serverText('ws.error', 'a-code-we-do-not-know', 'the server says so'), 'the server says so');
    assert.equal(serverText('ws.error', undefined, 'no code'), 'no code');
    assert.equal(roleName('auditor'), fr['role.auditor']);
    assert.equal(roleName('superuser'), 'superuser');
  } finally {
    setLanguage('en');
  }
});

test('the attributes data-i18n-<name> may set are only these', () => {
  assert.deepEqual(ATTRIBUTES, ['aria-label', 'placeholder', 'title', 'content']);
});
