// The search page (/search): the query goes to GET /api/search; results are grouped by meeting,
// each hit a link that opens the meeting's archive page playing from that moment.
import { whoAmI, postJson } from './session.js';
import { filterTerm, monthRange, resultView, searchParams } from './search-model.js';
import { t, initPage, formatDateTime, formatMonth, formatNumber } from './i18n.js';

const $ = (id) => document.getElementById(id);
let current = { q: '', sort: 'relevance', page: 1, from: '', to: '' };

function readForm() {
  return { q: $('q').value.trim(), sort: $('sort').value, page: 1, from: $('from').value, to: $('to').value };
}

function fillForm(s) {
  $('q').value = s.q;
  $('sort').value = s.sort || 'relevance';
  $('from').value = s.from || '';
  $('to').value = s.to || '';
}

function hitItem(h) {
  const li = document.createElement('li');
  li.dataset.hit = String(h.seconds);
  const a = document.createElement('a');
  a.href = h.url;
  a.dataset.hitLink = 'true';
  a.textContent = h.timecode;
  const who = document.createElement('strong');
  who.textContent = ` ${h.speaker}: `;
  const text = document.createElement('span');
  for (const p of h.pieces) {
    if (p.mark) {
      const m = document.createElement('mark');
      m.textContent = p.text;
      text.append(m);
    } else {
      text.append(document.createTextNode(p.text));
    }
  }
  li.append(a, who, text);
  return li;
}

function facetItem(key, value, label, onPick) {
  const li = document.createElement('li');
  li.dataset[key] = value;
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'button secondary';
  b.textContent = label;
  b.addEventListener('click', onPick);
  li.append(b);
  return li;
}

function render(view) {
  const list = $('results');
  list.replaceChildren();
  for (const m of view.meetings) {
    const li = document.createElement('li');
    li.className = 'card';
    li.dataset.meetingId = m.id;
    const h = document.createElement('h2');
    const a = document.createElement('a');
    a.href = `/m/${encodeURIComponent(m.id)}/archive`;
    a.textContent = m.title;
    h.append(a);
    const meta = document.createElement('p');
    meta.className = 'note';
    const when = formatDateTime(m.date) || t('search.dateUnknown');
    meta.textContent = `${when} · ${t('search.passages', { count: m.hitCount })}`;
    const hits = document.createElement('ul');
    for (const hit of m.hits) {
      hits.append(hitItem(hit));
    }
    li.append(h, meta, hits);
    list.append(li);
  }
  const speakers = $('facet-speakers');
  speakers.replaceChildren(...view.speakers.map((f) => facetItem('speaker', f.value, `${f.value} (${formatNumber(f.count)})`, () => {
    $('q').value = `${$('q').value.trim()} ${filterTerm('speaker', f.value)}`.trim();
    go(readForm());
  })));
  const months = $('facet-months');
  months.replaceChildren(...view.months.map((f) => facetItem('month', f.value, `${formatMonth(f.value)} (${formatNumber(f.count)})`, () => {
    const r = monthRange(f.value);
    if (r) {
      $('from').value = r.from;
      $('to').value = r.to;
      go(readForm());
    }
  })));
  $('facets').hidden = view.totalMeetings === 0;
  $('pages').hidden = view.pages <= 1;
  $('page-info').textContent = t('search.pageInfo', { page: view.page, pages: view.pages });
  $('prev-page').disabled = view.page <= 1;
  $('next-page').disabled = view.page >= view.pages;
}

async function go(state, push = true) {
  current = state;
  const params = searchParams(state);
  if (push) {
    history.replaceState(null, '', `/search${params.toString() ? `?${params}` : ''}`);
  }
  const root = $('search-app');
  if (!state.q) {
    $('search-message').textContent = t('search.idle');
    root.dataset.state = 'idle';
    return;
  }
  root.dataset.state = 'loading';
  $('search-message').textContent = t('search.searching');
  let res;
  let body = null;
  try {
    res = await fetch(`/api/search?${params}`, { headers: { accept: 'application/json' } });
    body = await res.json();
  } catch (e) {
    $('search-message').textContent = t('search.unreachable');
    root.dataset.state = 'error';
    return;
  }
  if (!res.ok) {
    $('results').replaceChildren();
    $('facets').hidden = true;
    $('pages').hidden = true;
    $('search-message').textContent = body && body.error ? body.error : t('search.failed', { status: String(res.status) });
    root.dataset.state = 'error';
    return;
  }
  const view = resultView(body);
  render(view);
  // Auditors and administrators may hold what the search found (the server judges it again).
  $('hold-form').hidden = !mayHold || view.totalMeetings === 0;
  $('hold-status').textContent = '';
  $('search-message').textContent = view.totalMeetings === 0 ? t('search.nothing')
    : t('search.found', { passages: t('search.passages', { count: view.totalHits }),
      meetings: t('search.meetings', { count: view.totalMeetings }) });
  root.dataset.state = 'loaded';
}

let mayHold = false;

async function holdResults(e) {
  e.preventDefault();
  const reason = $('hold-reason').value.trim();
  if (!reason || !current) {
    return;
  }
  let res;
  let body = {};
  try {
    res = await postJson('/api/search/hold', { q: current.q, from: current.from || null, to: current.to || null, reason });
    body = await res.json().catch(() => ({}));
  } catch (err) {
    $('hold-status').textContent = t('search.unreachable');
    return;
  }
  $('hold-status').textContent = res.ok ? t('search.held', { count: body.count })
    : (body.error || t('search.failed', { status: String(res.status) }));
}

async function boot() {
  initPage();
  $('search-message').textContent = t('search.idle');
  const who = await whoAmI();
  if (!who.signedIn) {
    location.assign('/login?next=/search');
    return;
  }
  const roles = Array.isArray(who.roles) ? who.roles : [];
  mayHold = roles.includes('auditor') || roles.includes('admin');
  $('hold-form').addEventListener('submit', holdResults);
  const p = new URLSearchParams(location.search);
  const state = { q: p.get('q') || '', sort: p.get('sort') || 'relevance', page: Number(p.get('page')) || 1,
    from: p.get('from') || '', to: p.get('to') || '' };
  fillForm(state);
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    go(readForm());
  });
  $('prev-page').addEventListener('click', () => go({ ...current, page: current.page - 1 }));
  $('next-page').addEventListener('click', () => go({ ...current, page: current.page + 1 }));
  $('search-app').dataset.booted = 'true';
  await go(state, false);
}

boot();
