// French and English: the message catalogues (i18n-en.js, i18n-fr.js: flat beside the pages, which the server serves at /<file>), key lookup with {name}
// parameters and plurals, the page's language (saved choice, else the browser's: fr* → fr, else
// en), formatting of dates, numbers and durations for it, and the switcher every page shows.
//
// In a page: import { t, initPage } from './i18n.js'; initPage(); then t('room.join') and
// elements marked <span data-i18n="room.join">Join</span> (data-i18n-aria-label,
// data-i18n-placeholder, data-i18n-title for those attributes). The HTML keeps the English text,
// so a page without JavaScript still reads. The DOM-free part runs under node:test.

import en from './i18n-en.js';
import fr from './i18n-fr.js';

export const CATALOGUES = { en, fr };
export const LANGUAGES = ['en', 'fr'];
export const STORAGE_KEY = 'steno.lang';
/** The attributes data-i18n-<name> sets on an element, besides data-i18n for its text. */
export const ATTRIBUTES = ['aria-label', 'placeholder', 'title', 'content'];

let current = 'en';
const listeners = [];

/** Marks a string as a message key where it is not looked up at once (maps of keys); returns it. */
export const key = (k) => k;

/**
 * The language to show: a saved choice of ours, else the first of the browser's languages that
 * is French or English (fr-CA → fr), else English.
 */
export function chooseLanguage(saved, languages) {
  if (LANGUAGES.includes(saved)) {
    return saved;
  }
  for (const l of Array.isArray(languages) ? languages : []) {
    const base = String(l).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) {
      return base;
    }
  }
  return 'en';
}

export function currentLanguage() {
  return current;
}

/** Sets the language of t() and the formatters (no DOM: setPageLanguage does the page). */
export function setLanguage(lang) {
  current = LANGUAGES.includes(lang) ? lang : 'en';
  return current;
}

/** Whether a key has a message in this language (else t() falls back to English, then to the key). */
export function has(k, lang = current) {
  return Object.prototype.hasOwnProperty.call(CATALOGUES[lang] || {}, k);
}

function fill(text, params, lang) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!params || !(name in params)) {
      return whole;
    }
    const v = params[name];
    return typeof v === 'number' ? formatNumber(v, lang) : String(v);
  });
}

/**
 * The message of `k` in the current language with its {name} parameters filled; a message with
 * plural forms ({ one, other, … }) picks one by params.count (Intl.PluralRules: French says
 * "0 passage", English "0 passages"). A key missing here falls back to English, then to itself.
 */
export function t(k, params, lang = current) {
  let msg = has(k, lang) ? CATALOGUES[lang][k] : (has(k, 'en') ? CATALOGUES.en[k] : undefined);
  const used = has(k, lang) ? lang : 'en';
  if (msg === undefined) {
    return k;
  }
  if (typeof msg === 'object') {
    const n = Number(params && params.count);
    const form = new Intl.PluralRules(used).select(Number.isFinite(n) ? n : 0);
    msg = msg[form] ?? msg.other;
  }
  return fill(msg, params, used);
}

/**
 * A sentence the server sent with a code (WebSocket error/notice): ours for that code under
 * `prefix` when we have one, else the server's own (English) text.
 */
export function serverText(prefix, code, fallback, params) {
  const k = `${prefix}.${code}`;
  return code && has(k, 'en') ? t(k, params) : (fallback || '');
}

const ROLES = { agent: key('role.agent'), auditor: key('role.auditor'), admin: key('role.admin') };

/** A platform role's name ("agent" / "agent·e"); an unknown one as the server spells it. */
export function roleName(role) {
  return ROLES[role] ? t(ROLES[role]) : String(role);
}

// ---- formatting ------------------------------------------------------------------------------

function toDate(value) {
  const d = value instanceof Date ? value : new Date(typeof value === 'number' ? value : Date.parse(value || ''));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "2 December 2026 at 13:40" / "2 décembre 2026 à 13:40"; '' for no date. */
export function formatDateTime(value, { lang = current, timeZone } = {}) {
  const d = toDate(value);
  return d ? new Intl.DateTimeFormat(locale(lang), { dateStyle: 'long', timeStyle: 'short', timeZone }).format(d) : '';
}

/** "2 December 2026" / "2 décembre 2026"; '' for no date. */
export function formatDate(value, { lang = current, timeZone } = {}) {
  const d = toDate(value);
  return d ? new Intl.DateTimeFormat(locale(lang), { dateStyle: 'long', timeZone }).format(d) : '';
}

/** "2026-12" → "December 2026" / "décembre 2026"; anything else as it is. */
export function formatMonth(month, lang = current) {
  const m = /^(\d{4})-(\d{2})$/.exec(month || '');
  if (!m) {
    return String(month);
  }
  return new Intl.DateTimeFormat(locale(lang), { month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
}

/** A clock time, "13:40:19". */
export function formatTime(value, { lang = current, timeZone } = {}) {
  const d = toDate(value);
  return d ? new Intl.DateTimeFormat(locale(lang), { timeStyle: 'medium', timeZone }).format(d) : '';
}

/** "1,234.5" / "1 234,5". */
export function formatNumber(n, lang = current) {
  return new Intl.NumberFormat(locale(lang)).format(n);
}

/** A length of time in words: "1 hr 5 min", "4 min 7 sec" / "1 h 5 min", "4 min 7 s". */
export function formatDurationWords(ms, lang = current) {
  const total = Math.max(0, Math.round((Number(ms) || 0) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const unit = (value, u) => new Intl.NumberFormat(locale(lang), { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
  const parts = [];
  if (h) parts.push(unit(h, 'hour'));
  if (m) parts.push(unit(m, 'minute'));
  if (s || parts.length === 0) parts.push(unit(s, 'second'));
  return parts.join(' ');
}

/** "in 4 seconds" / "dans 4 secondes", "3 days ago" / "il y a 3 jours": seconds from now, signed. */
export function formatRelative(seconds, lang = current) {
  const rtf = new Intl.RelativeTimeFormat(locale(lang), { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(Math.round(seconds), 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

/** The locale the formatters use: the French of France, the English of the United Kingdom (day before month, 24 h). */
export function locale(lang = current) {
  return lang === 'fr' ? 'fr-FR' : 'en-GB';
}

// ---- the page ----------------------------------------------------------------------------------

/** Writes every data-i18n text and data-i18n-<attribute> of root in the current language. */
export function applyTranslations(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  for (const attr of ATTRIBUTES) {
    for (const el of root.querySelectorAll(`[data-i18n-${attr}]`)) {
      el.setAttribute(attr, t(el.getAttribute(`data-i18n-${attr}`)));
    }
  }
}

/** Calls fn after the language changes (the page redraws what it wrote with t()). */
export function onLanguageChange(fn) {
  listeners.push(fn);
}

/** Sets the language of t(), <html lang> and every marked element, saves the choice and tells the listeners. */
export function setPageLanguage(lang, doc = document, { save = true } = {}) {
  setLanguage(lang);
  doc.documentElement.lang = current;
  if (save) {
    try {
      localStorage.setItem(STORAGE_KEY, current);
    } catch (e) {
      // private mode: the choice lasts for this page only
    }
  }
  applyTranslations(doc);
  for (const b of doc.querySelectorAll('#lang-switch button[data-lang]')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === current));
  }
  for (const fn of listeners) {
    fn(current);
  }
}

/** The switcher: one button per language, each named in its own language. */
function mountSwitcher(doc) {
  let box = doc.getElementById('lang-switch');
  if (!box) {
    const header = doc.querySelector('.site-header .container') || doc.body;
    box = doc.createElement('div');
    box.id = 'lang-switch';
    header.append(box);
  }
  box.className = 'lang-switch';
  box.setAttribute('role', 'group');
  box.dataset.i18nAriaLabel = 'lang.switch';
  box.replaceChildren();
  for (const [lang, name] of [['en', 'English'], ['fr', 'Français']]) {
    const b = doc.createElement('button');
    b.type = 'button';
    b.className = 'lang-button';
    b.dataset.lang = lang;
    b.lang = lang;
    b.textContent = name;
    b.addEventListener('click', () => {
      setPageLanguage(lang, doc);
      if (listeners.length === 0 && doc.defaultView) {
        doc.defaultView.location.reload(); // a page that redraws nothing itself is read again in the new language
      }
    });
    box.append(b);
  }
}

/** A page's start: its language (saved, else the browser's), the switcher, every marked element. */
export function initPage(doc = document) {
  let saved = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch (e) {
    saved = null;
  }
  mountSwitcher(doc);
  setPageLanguage(chooseLanguage(saved, navigator.languages || [navigator.language]), doc, { save: false });
  return current;
}
